import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../../server/demo/logins";
import { SIM_CONTROL_HEADERS } from "../support/e2e-env";

/**
 * Connecting a Poster account in the browser, against the embedded simulator: the OAuth redirect really goes
 * through the account's host /api/poster-sim/<login>/api/auth and back to /api/poster/callback. A route rewrite
 * adds `?account=<login>` to /api/poster/connect, as a person would choose their account at Poster.
 */
async function newSimAccount(page: Page, name: string) {
  const login = `e2e-${Date.now().toString(36)}`;
  const created = await page.request.post("/api/poster-sim/sim/accounts", {
    headers: SIM_CONTROL_HEADERS,
    data: { login, companyName: name, currency: "RUB", lang: "en", size: { storages: 3, ingredients: 80, suppliers: 8 } },
  });
  expect(created.status()).toBe(201);
  const details = (await (await page.request.get(`/api/poster-sim/sim/accounts/${login}`, { headers: SIM_CONTROL_HEADERS })).json()) as { storages: { name: string }[] };
  return { login, storages: details.storages.map((s) => s.name) };
}

async function pickAccountAtPoster(page: Page, login: string) {
  await page.route("**/api/poster/connect*", (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set("account", login);
    return route.continue({ url: url.toString() });
  });
}

test("a new restaurant connects Poster, its owner sets a password and lands on a populated dashboard", async ({ page }) => {
  const name = "E2E Bistro";
  const { login, storages } = await newSimAccount(page, name);
  await pickAccountAtPoster(page, login);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: /connect poster|подключить poster/i }).click();

  // Poster told us the owner's e-mail; a new owner gets a one-time link to set a first password by e-mail only.
  await expect(page).toHaveURL(/\/sign-in\?connected=setup$/);
  await expect(page.getByTestId("poster-connected")).toContainText(/e-mailed the Poster account owner|отправили владельцу аккаунта Poster/);
  await page.goto("/outbox");
  const mail = page.getByRole("article").filter({ hasText: `owner@${login}.example` }).first();
  await mail.getByRole("link", { name: /\/reset-password\// }).click();
  await expect(page).toHaveURL(/\/reset-password\//);
  const password = "quiet-harbour-lantern-2026";
  await page.getByLabel(/^new password|^новый пароль/i).fill(password);
  await page.getByLabel(/repeat|повторите/i).fill(password);
  await page.getByRole("button", { name: /save password|сохранить пароль/i }).click();

  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel(/e-mail|почта/i).fill(`owner@${login}.example`);
  await page.getByLabel(/password|пароль/i).fill(password);
  await page.getByRole("button", { name: /sign in|войти/i }).click();

  await expect(page.getByTestId("active-restaurant")).toHaveText(name);
  for (const storage of storages) {
    const department = page.getByRole("link", { name: new RegExp(storage) });
    await expect(department).toBeVisible();
    await expect(department).toContainText(/[1-9]\d* products?/);
  }
});

test("a signed-in owner connects another account and lands on it; state mismatch is refused", async ({ page }) => {
  const name = "E2E Second Kitchen";
  const { login, storages } = await newSimAccount(page, name);

  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|почта/i).fill("owner@demo.test");
  await page.getByLabel(/password|пароль/i).fill("demo-checklist-2026");
  await page.getByRole("button", { name: /sign in|войти/i }).click();
  await expect(page.getByTestId("active-restaurant")).toBeVisible();

  // A callback this browser did not start is refused with a clear page.
  const forged = await page.goto(`/api/poster/callback?code=abc&account=${login}&state=forged`);
  expect(forged?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText(/начните подключение заново/i);

  await page.goto("/settings");
  await expect(page.getByTestId("poster-status")).toHaveText(/connected|подключён/i);
  await pickAccountAtPoster(page, login);
  await expect(page.getByRole("link", { name: /reconnect poster|переподключить poster/i })).toBeVisible();
  await page.getByRole("link", { name: /connect another poster account|подключить ещё один аккаунт poster/i }).click();

  await expect(page.getByTestId("active-restaurant")).toHaveText(name);
  await expect(page.getByRole("link", { name: new RegExp(storages[0]!) })).toContainText(/[1-9]\d* products?/);
  // The owner now switches between the demo restaurants and this one.
  await expect(page.getByRole("combobox", { name: /restaurant|ресторан/i }).locator("option", { hasText: name })).toHaveCount(1);
});

test("OAuth cannot hand a restaurant to the wrong person: a connected account, or a Poster employee who is not its owner", async ({ page }) => {
  // Signed out, completing Poster's OAuth for a demo restaurant's account.
  await pickAccountAtPoster(page, "demo-cafe");
  await page.goto("/sign-in");
  await page.getByRole("link", { name: /connect poster|подключить poster/i }).click();
  await expect(page.getByRole("alert")).toContainText(/уже подключён к ресторану/);
  await expect(page.locator("p[lang=en]")).toContainText("already connected to a restaurant");
  // Its owners were told.
  await page.goto("/outbox");
  await expect(page.getByRole("article").filter({ hasText: DEMO_USERS.owner }).filter({ hasText: /переподключить Poster|reconnect Poster/ }).first()).toBeVisible();

  // A cashier of a new Poster account approves the connection: only the owner may create the restaurant.
  const { login } = await newSimAccount(page, "E2E Cashier Cafe");
  const cashier = await page.request.post(`/api/poster-sim/sim/accounts/${login}/oauth-user`, { headers: SIM_CONTROL_HEADERS, data: { roleId: 2, email: `cashier@${login}.example` } });
  expect(cashier.status()).toBe(200);
  await page.unrouteAll();
  await pickAccountAtPoster(page, login);
  await page.goto("/sign-in");
  await page.getByRole("link", { name: /connect poster|подключить poster/i }).click();
  await expect(page.getByRole("alert")).toContainText(/может только его владелец/);

  // Signed in is not enough: the demo restaurant's manager cannot reconnect (and so take over) its account.
  await page.unrouteAll();
  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|почта/i).fill(DEMO_USERS.manager);
  await page.getByLabel(/password|пароль/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /sign in|войти/i }).click();
  await expect(page.getByTestId("active-restaurant")).toBeVisible();
  await pickAccountAtPoster(page, "demo-cafe");
  await page.goto("/api/poster/connect");
  await expect(page.getByRole("alert")).toContainText(/уже подключён к ресторану/);
});

test("Poster leaves out state: the connection still completes, bound to this browser's cookie and chosen account", async ({ page }) => {
  const name = "E2E Stateless Bar";
  const { login, storages } = await newSimAccount(page, name);
  const faults = await page.request.post(`/api/poster-sim/sim/accounts/${login}/faults`, { headers: SIM_CONTROL_HEADERS, data: { oauthDropsState: true } });
  expect(faults.status()).toBe(200);

  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|почта/i).fill(DEMO_USERS.owner);
  await page.getByLabel(/password|пароль/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /sign in|войти/i }).click();
  await expect(page.getByTestId("active-restaurant")).toBeVisible();

  // A callback without state that this browser did not start (no flow cookie) is still refused.
  const forged = await page.goto(`/api/poster/callback?code=abc&account=${login}`);
  expect(forged?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText(/начните подключение заново/i);

  // Poster's redirect back carries code and account only.
  let callbackUrl = "";
  page.on("request", (r) => {
    if (r.url().includes("/api/poster/callback")) callbackUrl = r.url();
  });
  await page.goto("/settings");
  await pickAccountAtPoster(page, login);
  await page.getByRole("link", { name: /connect another poster account|подключить ещё один аккаунт poster/i }).click();
  await expect(page.getByTestId("active-restaurant")).toHaveText(name);
  expect(new URL(callbackUrl).searchParams.has("state")).toBe(false);
  await expect(page.getByRole("link", { name: new RegExp(storages[0]!) })).toContainText(/[1-9]\d* products?/);
});
