import { describe, expect, it } from "vitest";
import { assertTransition, canTransition, supplyMarker, telegramUrl, whatsappUrl, type OrderStatus } from "@/server/purchasing";

const ALL: OrderStatus[] = ["draft", "sent", "partially_received", "received", "cancelled"];
const LEGAL = new Set(["draft>sent", "draft>cancelled", "sent>partially_received", "sent>received", "sent>cancelled", "partially_received>received"]);

describe("purchase order status machine", () => {
  it.each(ALL.flatMap((from) => ALL.map((to) => [from, to] as const)))("%s → %s", (from, to) => {
    const legal = LEGAL.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(legal);
    if (legal) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(expect.objectContaining({ code: "CONFLICT" }));
  });
});

describe("send links", () => {
  it("puts the phone's digits and the encoded text into wa.me", () => {
    expect(whatsappUrl("+7 (900) 000-00-01", "1. Молоко — 2,5 л\n&")).toBe(`https://wa.me/79000000001?text=${encodeURIComponent("1. Молоко — 2,5 л\n&")}`);
    expect(whatsappUrl(null, "hi")).toBe("https://wa.me/?text=hi");
  });
  it("shares the text through Telegram", () => {
    expect(telegramUrl("a b")).toBe("https://t.me/share/url?url=&text=a%20b");
  });
});

describe("supply marker", () => {
  it("is short, stable per key and different between keys", () => {
    const key = "receipt:11111111-1111-4111-8111-111111111111:dept:22222222-2222-4222-8222-222222222222";
    expect(supplyMarker(key)).toMatch(/^\[rc:[0-9a-f]{12}\]$/);
    expect(supplyMarker(key)).toBe(supplyMarker(key));
    expect(supplyMarker(key)).not.toBe(supplyMarker(key.replace(/2/g, "3")));
  });
});
