import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { signIn } from "../support/e2e-pages";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// The page opened at another address than APP_URL (before the fix: any port but 3000 in development) sends every
// save with a foreign Origin. The refusal must be said as what it is, not "not saved yet, retrying" forever.
test("a refused save says why and what to do, is not retried, and is not counted in the request", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  await expect(page).toHaveURL(/\/departments\/[0-9a-f-]{36}$/);
  const rows = page.getByTestId("checklist-row");
  await expect(rows.first()).toBeVisible();
  const draftCount = page.getByTestId("draft-status").locator("xpath=following-sibling::p");
  const before = await draftCount.textContent();

  let saves = 0;
  await page.route("**/api/trpc/checklist.saveLine**", async (route) => {
    saves += 1;
    const response = await route.fetch({ headers: { ...route.request().headers(), origin: "http://localhost:1" } });
    await route.fulfill({ response });
  });

  const name = (await rows.locator("h3").first().textContent())!;
  const input = page.getByRole("textbox", { name: new RegExp(`^(Quantity for|Количество для) ${escape(name)}$`) });
  await input.fill("7");
  const row = rows.filter({ has: page.getByRole("heading", { name, exact: true }) });
  await expect(row.getByText(/(another address than the app's|по другому адресу, чем адрес приложения).*http:\/\/localhost:\d+/)).toBeVisible();
  await expect(page.getByTestId("draft-status")).not.toHaveText(/retrying|повторяем/);
  await expect(draftCount).toHaveText(before!);
  // Rejected means dropped: nothing is sent again after the retry delay.
  const sent = saves;
  await page.waitForTimeout(6_000);
  expect(saves).toBe(sent);
});
