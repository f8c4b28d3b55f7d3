import { describe, expect, it } from "vitest";
import { calendarDay, INT4_MAX, password, positiveInt4, text } from "@/server/validation";

/** The shared input schemas refuse what Postgres would refuse with a 500, and nothing a person would type. */
describe("shared input schemas", () => {
  it("text: trimmed, bounded, no NUL byte anywhere", () => {
    const name = text(10, { min: 1 });
    expect(name.parse("  Борщ  ")).toBe("Борщ");
    expect(name.safeParse("Bor\u0000sch").success).toBe(false);
    expect(name.safeParse("\u0000").success).toBe(false);
    expect(name.safeParse("   ").success).toBe(false);
    expect(name.safeParse("x".repeat(11)).success).toBe(false);
    expect(text(10).parse("")).toBe("");
  });

  it("password: kept as typed, no NUL byte", () => {
    expect(password(20).parse(" secret ")).toBe(" secret ");
    expect(password(20).safeParse("sec\u0000ret").success).toBe(false);
    expect(password(20).safeParse("").success).toBe(false);
  });

  it("calendarDay: 2000-01-01 to 2100-12-31, never year 0000", () => {
    for (const day of ["2000-01-01", "2026-12-02", "2100-12-31"]) expect(calendarDay.safeParse(day).success, day).toBe(true);
    for (const day of ["0000-01-01", "1999-12-31", "2101-01-01", "9999-12-31", "2026-02-30"]) expect(calendarDay.safeParse(day).success, day).toBe(false);
  });

  it("positiveInt4: 1 to 2^31-1", () => {
    expect(positiveInt4.safeParse(INT4_MAX).success).toBe(true);
    expect(positiveInt4.safeParse(INT4_MAX + 1).success).toBe(false);
    expect(positiveInt4.safeParse(0).success).toBe(false);
  });
});
