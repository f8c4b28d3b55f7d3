/**
 * Poster serves every account on its own host, `https://{account}.joinposter.com` (poster-api.md §1.1), and refuses
 * a token there that belongs to another account; our client always calls the account's own host. From
 * POSTER_API_URL (or the embedded simulator's base):
 * - `https://joinposter.com` → `https://{account}.joinposter.com`;
 * - a URL with an `{account}` placeholder → the placeholder replaced (`http://{account}.localhost:4010`, or
 *   `http://127.0.0.1:4010/{account}`);
 * - any other URL (the simulator, embedded or `npm run poster:sim`) → `<url>/{account}`: the simulator reads the
 *   account from that first path segment, which works on a bare machine (Node does not resolve `*.localhost`).
 * The generic host (no account known yet: the authorize page) is the URL without the account part.
 */
export const ACCOUNT_PLACEHOLDER = "{account}";
const REAL_POSTER = /^https:\/\/joinposter\.com$/;

const trim = (url: string) => url.replace(/\/+$/, "");

export function accountBaseUrl(base: string, accountLogin: string): string {
  const b = trim(base);
  if (b.includes(ACCOUNT_PLACEHOLDER)) return b.replaceAll(ACCOUNT_PLACEHOLDER, accountLogin);
  if (REAL_POSTER.test(b)) return `https://${accountLogin}.joinposter.com`;
  return `${b}/${accountLogin}`;
}

export function genericBaseUrl(base: string): string {
  return trim(trim(base).replace(`${ACCOUNT_PLACEHOLDER}.`, "").replace(`/${ACCOUNT_PLACEHOLDER}`, ""));
}
