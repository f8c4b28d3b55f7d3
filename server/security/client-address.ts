import { isIP } from "node:net";
import { env } from "@/server/env";

/**
 * The header our own HTTP server hook (server/security/peer-address-hook.ts) stamps on every request with the
 * socket's remote address, overwriting whatever a client sent under that name.
 */
export const PEER_ADDRESS_HEADER = "x-rc-peer-address";
const HOOK_FLAG = Symbol.for("restaurant-checklist.peer-address-hook");

/** True once this process's HTTP server stamps PEER_ADDRESS_HEADER (only then is the header ours, not a client's). */
export function peerAddressHookActive(): boolean {
  return (globalThis as Record<symbol, unknown>)[HOOK_FLAG] === true;
}

export function markPeerAddressHookActive(): void {
  (globalThis as Record<symbol, unknown>)[HOOK_FLAG] = true;
}

export interface ClientAddressConfig {
  /** Running on Vercel (VERCEL=1): its edge sets x-vercel-forwarded-for / x-real-ip and clients cannot. */
  vercel: boolean;
  /** Reverse proxies in front of the app that append to X-Forwarded-For; 0 = trust no X-Forwarded-For entry. */
  trustedProxyHops: number;
  /** Whether PEER_ADDRESS_HEADER was stamped by our server (not a client). */
  peerHeaderTrusted: boolean;
}

function defaultConfig(): ClientAddressConfig {
  const e = env();
  return { vercel: e.VERCEL === "1", trustedProxyHops: e.TRUSTED_PROXY_HOPS, peerHeaderTrusted: peerAddressHookActive() };
}

/** A syntactically valid IPv4/IPv6 address (IPv4-mapped IPv6 shortened), else null: a header is never a free key. */
function normalise(value: string | null | undefined): string | null {
  const v = value?.trim();
  if (!v || isIP(v) === 0) return null;
  return v.toLowerCase().startsWith("::ffff:") && isIP(v.slice(7)) === 4 ? v.slice(7) : v.toLowerCase();
}

/**
 * The client's address as the platform vouches for it, for sign-in limits, the rejected-webhook log limit and
 * audit. Never the first X-Forwarded-For entry, which any client writes:
 * - on Vercel: `x-vercel-forwarded-for`, else `x-real-ip` (set by Vercel's edge, overwriting the client's);
 * - elsewhere with TRUSTED_PROXY_HOPS = N > 0: the X-Forwarded-For entry N from the right (the one the
 *   outermost of our N proxies appended); with fewer entries the request bypassed a proxy: the socket address;
 * - elsewhere with 0 (the default, no proxy): the socket address.
 * Null when unknown (then only the per-e-mail slow-down applies to it, never a shared "unknown" bucket).
 */
export function clientAddress(headers: Headers, config: ClientAddressConfig = defaultConfig()): string | null {
  if (config.vercel) {
    return normalise(headers.get("x-vercel-forwarded-for")?.split(",")[0]) ?? normalise(headers.get("x-real-ip"));
  }
  const peer = config.peerHeaderTrusted ? normalise(headers.get(PEER_ADDRESS_HEADER)) : null;
  if (config.trustedProxyHops > 0) {
    const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (chain.length >= config.trustedProxyHops) return normalise(chain[chain.length - config.trustedProxyHops]);
  }
  return peer;
}
