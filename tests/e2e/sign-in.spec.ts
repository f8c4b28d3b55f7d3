import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_RESTAURANTS, DEMO_USERS } from "../../server/demo/logins";

test("a demo owner signs in, sees the dashboard, switches restaurant and signs out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel(/e-mail|почта/i).fill(DEMO_USERS.owner);
  await page.getByLabel(/password|пароль/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /sign in|войти/i }).click();

  const active = page.getByTestId("active-restaurant");
  await expect(active).toBeVisible();
  const first = (await active.textContent())!.trim();
  expect(DEMO_RESTAURANTS.map((r) => r.name)).toContain(first);
  const other = DEMO_RESTAURANTS.find((r) => r.name !== first)!.name;

  await page.getByRole("combobox", { name: /restaurant|ресторан/i }).selectOption({ label: other });
  await expect(active).toHaveText(other);
  // The pick survives a reload: it is remembered server-side-checked, not just in the page.
  await page.reload();
  await expect(page.getByTestId("active-restaurant")).toHaveText(other);

  await page.getByRole("button", { name: /sign out|выйти/i }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a wrong password gets a clear message and no session", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|почта/i).fill(DEMO_USERS.manager);
  await page.getByLabel(/password|пароль/i).fill("not-the-password");
  await page.getByRole("button", { name: /sign in|войти/i }).click();
  await expect(page.getByRole("alert").filter({ hasText: /wrong e-mail or password|неверная почта или пароль/i })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});
