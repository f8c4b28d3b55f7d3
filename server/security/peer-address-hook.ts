import http from "node:http";
import { markPeerAddressHookActive, peerAddressHookActive, PEER_ADDRESS_HEADER } from "@/server/security/client-address";

/**
 * Next 16 gives route handlers no socket address: `next start` only fills X-Forwarded-For with it when the
 * client sent none (base-server.js: `??=`), so a forged header wins. This wraps the Node HTTP server's
 * "request" event (same process as the route handlers) and stamps the real remote address on every request,
 * overwriting any client value of that header. Installed once from instrumentation.ts (Node runtime).
 */
export function installPeerAddressHook(): void {
  if (peerAddressHookActive()) return;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_ADDRESS_HEADER] = req.socket?.remoteAddress ?? "";
    }
    return (emit as (this: http.Server, ...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
  markPeerAddressHookActive();
}
