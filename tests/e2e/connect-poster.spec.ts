import { expect, test, type Page } from "@playwright/test";

/**
 * Connecting a Poster account in the browser, against the embedded simulator: the OAuth redirect really goes
 * through /api/poster-sim/api/auth and back to /api/poster/callback. The simulator's authorize step picks the
 * account named in `?account=`; a route rewrite adds it, as a person would choose their account at Poster.
 */
async function newSimAccount(page: Page, name: string) {
  const login = `e2e-${Date.now().toString(36)}`;
  const created = await page.request.post("/api/poster-sim/sim/accounts", {
    data: { login, companyName: name, currency: "RUB", lang: "en", size: { storages: 3, ingredients: 80, suppliers: 8 } },
  });
  expect(created.status()).toBe(201);
  const details = (await (await page.request.get(`/api/poster-sim/sim/accounts/${login}`)).json()) as { storages: { name: string }[] };
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

  // Poster told us the owner's e-mail; a new owner sets a first password through a one-time link.
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
