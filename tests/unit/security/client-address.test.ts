import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { clientAddress, PEER_ADDRESS_HEADER, type ClientAddressConfig } from "@/server/security/client-address";
import { installPeerAddressHook } from "@/server/security/peer-address-hook";

const direct: ClientAddressConfig = { vercel: false, trustedProxyHops: 0, peerHeaderTrusted: true };
const h = (init: Record<string, string>) => new Headers(init);

describe("clientAddress", () => {
  afterEach(() => {
    delete process.env.TRUSTED_PROXY_HOPS;
    delete process.env.VERCEL;
    resetEnvForTests();
  });

  it("ignores X-Forwarded-For by default and takes the socket address our server stamped", () => {
    expect(clientAddress(h({ "x-forwarded-for": "198.51.100.1", [PEER_ADDRESS_HEADER]: "203.0.113.5" }), direct)).toBe("203.0.113.5");
    expect(clientAddress(h({ [PEER_ADDRESS_HEADER]: "::ffff:127.0.0.1" }), direct)).toBe("127.0.0.1");
    expect(clientAddress(h({ "x-forwarded-for": "198.51.100.1" }), direct)).toBeNull();
  });

  it("does not believe the peer header when our server did not stamp it (a client could have sent it)", () => {
    expect(clientAddress(h({ [PEER_ADDRESS_HEADER]: "203.0.113.5" }), { ...direct, peerHeaderTrusted: false })).toBeNull();
  });

  it("with N trusted proxies takes the entry N from the right, never a client-written one", () => {
    const forged = h({ "x-forwarded-for": "1.1.1.1, 2.2.2.2, 203.0.113.9", [PEER_ADDRESS_HEADER]: "10.0.0.2" });
    expect(clientAddress(forged, { ...direct, trustedProxyHops: 1 })).toBe("203.0.113.9");
    expect(clientAddress(forged, { ...direct, trustedProxyHops: 2 })).toBe("2.2.2.2");
    // Fewer entries than proxies: the request did not come through them; the socket is all we know.
    expect(clientAddress(h({ "x-forwarded-for": "203.0.113.9", [PEER_ADDRESS_HEADER]: "10.0.0.2" }), { ...direct, trustedProxyHops: 2 })).toBe("10.0.0.2");
    // Whatever the entry is, it must be an address: a header is never a free-form key.
    expect(clientAddress(h({ "x-forwarded-for": "not-an-ip" }), { ...direct, trustedProxyHops: 1 })).toBeNull();
  });

  it("on Vercel takes x-vercel-forwarded-for, then x-real-ip, never X-Forwarded-For", () => {
    const vercel = { ...direct, vercel: true };
    expect(clientAddress(h({ "x-vercel-forwarded-for": "203.0.113.1", "x-real-ip": "203.0.113.2", "x-forwarded-for": "1.1.1.1" }), vercel)).toBe("203.0.113.1");
    expect(clientAddress(h({ "x-real-ip": "203.0.113.2", "x-forwarded-for": "1.1.1.1" }), vercel)).toBe("203.0.113.2");
    expect(clientAddress(h({ "x-forwarded-for": "1.1.1.1" }), vercel)).toBeNull();
  });

  it("reads TRUSTED_PROXY_HOPS and VERCEL from the environment", () => {
    process.env.TRUSTED_PROXY_HOPS = "1";
    resetEnvForTests();
    expect(clientAddress(h({ "x-forwarded-for": "1.1.1.1, 203.0.113.4" }))).toBe("203.0.113.4");
    process.env.VERCEL = "1";
    resetEnvForTests();
    expect(clientAddress(h({ "x-forwarded-for": "1.1.1.1, 203.0.113.4", "x-real-ip": "203.0.113.8" }))).toBe("203.0.113.8");
  });
});

describe("installPeerAddressHook", () => {
  it("stamps the socket address on every request of a Node HTTP server, overwriting a forged value", async () => {
    installPeerAddressHook();
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers[PEER_ADDRESS_HEADER] as string | undefined);
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_ADDRESS_HEADER]: "198.51.100.66", "x-forwarded-for": "198.51.100.66" } });
      await fetch(`http://127.0.0.1:${port}/`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1"]);
    expect(clientAddress(h({ [PEER_ADDRESS_HEADER]: seen[0]!, "x-forwarded-for": "198.51.100.66" }))).toBe("127.0.0.1");
  });
});
