import { expect, type Page, type Response } from "@playwright/test";
import { DEMO_PASSWORD } from "../../server/demo/logins";

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|почта/i).fill(email);
  await page.getByLabel(/password|пароль/i).fill(password);
  await page.getByRole("button", { name: /sign in|войти/i }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

export interface TrpcFailure {
  path: string;
  code: string;
  httpStatus: number;
  reason: string | null;
  /** The page the browser was on when the answer came. */
  on: string;
}

/**
 * Every failed tRPC call the page makes, read from the answers themselves: a batch answers 207 with some calls
 * failed and some not, so the HTTP status alone does not say which.
 */
export function watchTrpc(page: Page): TrpcFailure[] {
  const failures: TrpcFailure[] = [];
  page.on("response", (response: Response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith("/api/trpc/")) return;
    const paths = decodeURIComponent(url.pathname.slice("/api/trpc/".length)).split(",");
    void response
      .json()
      .then((body: unknown) => {
        const items = Array.isArray(body) ? body : [body];
        items.forEach((item, i) => {
          const error = (item as { error?: { json?: { data?: { code?: string; httpStatus?: number; path?: string; reason?: string | null } } } }).error?.json?.data;
          if (error) failures.push({ path: error.path ?? paths[i] ?? "?", code: error.code ?? "?", httpStatus: error.httpStatus ?? response.status(), reason: error.reason ?? null, on: new URL(page.url()).pathname });
        });
      })
      .catch(() => {
        if (response.status() >= 400) failures.push({ path: paths.join(","), code: "UNPARSABLE", httpStatus: response.status(), reason: null, on: new URL(page.url()).pathname });
      });
  });
  return failures;
}

/** The JSON a tRPC query answers for the signed-in page (superjson's `json` part). */
export async function trpcQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await page.request.get(`/api/trpc/${path}${query}`);
  expect(response.ok(), `${path} answered ${response.status()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** The invitation link in the newest mail to `to` (no SMTP in e2e: the local outbox, newest first). */
export async function invitationLinkMailedTo(page: Page, to: string): Promise<string> {
  await page.goto("/outbox");
  const mail = page.getByRole("article").filter({ hasText: to }).first();
  await expect(mail).toBeVisible();
  const href = await mail.getByRole("link", { name: /\/invite\// }).getAttribute("href");
  expect(href).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  return href!;
}

/**
 * Content-Security-Policy violations on a page, from the browser's own `securitypolicyviolation` events (collected
 * by an init script in every document) and its console ("Refused to ... because it violates ..."). Read it with
 * `cspViolations(page)` after the visits.
 */
export async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`);
    });
  });
  page.on("console", (message) => {
    const text = message.text();
    if (/CSP violation|Content Security Policy|violates the following/i.test(text)) seen.push(`${page.url()}: ${text}`);
  });
  return seen;
}

/** The signed-in user's language (null: the restaurant's), set the way the account page does it. */
export async function setLocale(page: Page, locale: "ru" | "en" | null) {
  const status = await page.evaluate(async (value) => {
    const response = await fetch("/api/trpc/account.setLocale", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { locale: value } }) });
    return response.status;
  }, locale);
  expect(status).toBe(200);
}

/**
 * Errors the browser console or the page reports (a hydration mismatch is one: React reports it as a recoverable
 * error, minified #418/#425 in a production build), with the page they came from.
 */
export function watchConsoleErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message) => {
    // A failed resource names itself only in the location.
    if (message.type() === "error") seen.push(`${new URL(page.url()).pathname}: ${message.text()}${message.location().url ? ` (${message.location().url})` : ""}`);
  });
  page.on("pageerror", (error) => seen.push(`${new URL(page.url()).pathname}: ${error.message}`));
  return seen;
}
