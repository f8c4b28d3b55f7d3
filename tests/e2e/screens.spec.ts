import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { signIn, trpcQuery, watchConsoleErrors, watchCsp, watchTrpc, type TrpcFailure } from "../support/e2e-pages";

/**
 * Every screen, opened by every kind of user, through the UI: any tRPC call the page makes that the server
 * refuses (a 4xx or 5xx in the answer) fails the test unless it is listed here as what that page expects. An
 * input the client sends and the server's schema refuses (history's infinite query once sent `direction` to a
 * strict schema) cannot ship again.
 */
type Role = keyof typeof DEMO_USERS;

// A browser far from both the server (UTC) and the demo restaurant (Moscow): a time rendered in the server's zone
// and again in the browser's would be a hydration mismatch, reported on the console.
test.use({ timezoneId: "Asia/Yekaterinburg" });

/** Screens every signed-in user can open by URL; ids are filled in per role from what the user can see. */
const SCREENS = ["/", "/departments/:department", "/orders", "/orders/:order", "/orders/unsorted", "/catalog", "/catalog?tab=products", "/catalog?tab=categories", "/history", "/team", "/settings", "/account", "/outbox", "/admin", "/admin/restaurants/:restaurant"];

/**
 * Refusals a screen is built to expect, per role. Each is a page that shows "no access" for a role that may not use
 * it, instead of hiding a broken call. Keep this list short; a new entry needs a reason.
 */
const EXPECTED: Partial<Record<Role, Array<{ on: string; path: string; code: string }>>> = {};

async function ids(page: Page, role: Role) {
  const found: Record<string, string | undefined> = {};
  if (role !== "admin") {
    const current = await trpcQuery<{ departments: { id: string }[]; permissions: string[] }>(page, "restaurant.current");
    found.department = current.departments[0]?.id;
    if (current.permissions.includes("orders.read")) found.order = (await trpcQuery<{ orders: { id: string }[] }>(page, "orders.list"))?.orders[0]?.id;
  } else {
    found.restaurant = (await trpcQuery<{ items: { id: string }[] }>(page, "admin.restaurants", {})).items[0]?.id;
  }
  return found;
}

for (const role of Object.keys(DEMO_USERS) as Role[]) {
  test(`every screen as ${role}: no tRPC call is refused unexpectedly, no Content-Security-Policy violation, no console error`, async ({ page }) => {
    test.setTimeout(180_000);
    const failures = watchTrpc(page);
    const violations = await watchCsp(page);
    const consoleErrors = watchConsoleErrors(page);
    await signIn(page, DEMO_USERS[role]);
    const known = await ids(page, role);
    const visited: string[] = [];
    for (const screen of SCREENS) {
      const key = /:(\w+)/.exec(screen)?.[1];
      if (key && !known[key]) continue;
      const url = key ? screen.replace(`:${key}`, known[key]!) : screen;
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      // Answers still being read when the page went quiet.
      await page.waitForTimeout(200);
      visited.push(url);
      // A screen that could not load says so; none of the screens a role can open may fail to load.
      await expect(page.getByTestId("load-error"), `${url} as ${role}`).toHaveCount(0);
    }
    const allowed = EXPECTED[role] ?? [];
    const unexpected = failures.filter((f: TrpcFailure) => !allowed.some((a) => f.on.startsWith(a.on) && f.path === a.path && f.code === a.code));
    expect(unexpected, `refused tRPC calls as ${role} on ${visited.join(" ")}`).toEqual([]);
    expect(violations, `CSP violations as ${role}`).toEqual([]);
    // A hydration mismatch (a date rendered in the server's zone, then the browser's) shows here. /admin answers
    // 404 to anyone but a platform admin, by design.
    const unexpectedConsole = consoleErrors.filter((e) => role === "admin" || !/^\/admin: Failed to load resource: .*404.*\/admin\)$/.test(e));
    expect(unexpectedConsole, `console errors as ${role}`).toEqual([]);
    expect(visited.length).toBeGreaterThan(8);
  });
}

test("pages carry a nonce CSP and a Permissions-Policy; tRPC and export answers are private, no-store; no CSP violation or console error signed out", async ({ page }) => {
  const violations = await watchCsp(page);
  const consoleErrors = watchConsoleErrors(page);
  const first = await page.goto("/sign-in");
  const csp = first!.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(first!.headers()["permissions-policy"]).toContain("camera=()");
  // A fresh nonce per request, and Next's own scripts carry it (otherwise the page would not hydrate).
  const second = await page.goto("/sign-in");
  expect(second!.headers()["content-security-policy"]).not.toBe(csp);
  const nonce = /'nonce-([^']+)'/.exec(second!.headers()["content-security-policy"] ?? "")![1]!;
  expect(await page.locator("script[nonce]").count()).toBeGreaterThan(0);
  expect(await page.evaluate(() => [...document.scripts].every((s) => s.nonce !== "" || !!s.src))).toBe(true);
  expect(nonce.length).toBeGreaterThan(10);
  await page.goto("/forgot-password");
  await page.goto("/invite/not-a-valid-token");
  await page.goto("/sign-in");
  await page.waitForLoadState("networkidle");
  expect(consoleErrors, "console errors signed out").toEqual([]);

  await signIn(page, DEMO_USERS.owner);
  const trpc = await page.request.get("/api/trpc/restaurant.current");
  expect(trpc.headers()["cache-control"]).toBe("private, no-store");
  const exported = await page.request.get("/api/export/orders?format=csv");
  expect(exported.headers()["cache-control"]).toBe("private, no-store");
  expect(violations).toEqual([]);
});

test("history says a reversed date range instead of asking the server", async ({ page }) => {
  const failures = watchTrpc(page);
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/history");
  await expect(page.getByRole("heading", { name: /order history|история заказов/i })).toBeVisible();
  await page.getByLabel(/^(From|С)$/).fill("2026-12-10");
  await page.getByLabel(/^(To|По)$/).fill("2026-12-01");
  await expect(page.getByRole("alert").filter({ hasText: /start date is after the end date|позже даты/i })).toBeVisible();
  await expect(page.getByRole("link", { name: /export csv|выгрузить csv/i })).toHaveCount(0);
  await page.getByLabel(/^(To|По)$/).fill("2026-12-31");
  await expect(page.getByRole("alert").filter({ hasText: /start date is after the end date|позже даты/i })).toHaveCount(0);
  await page.waitForLoadState("networkidle");
  expect(failures).toEqual([]);
});
