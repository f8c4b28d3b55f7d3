import { expect, test } from "@playwright/test";
import { DEMO_RESTAURANTS, DEMO_USERS } from "../../server/demo/logins";
import { escapeRegExp, signIn } from "../support/e2e-pages";

const bar = DEMO_RESTAURANTS[1]!.name;

test("the admin pauses a restaurant with a reason; its owner sees the pause and the reason, and no Sync now; resuming lifts it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_USERS.admin);
  await page.goto("/admin");
  await page.getByRole("button", { name: new RegExp(`^(Pause|Приостановить) ${escapeRegExp(bar)}$`) }).click();
  const reason = page.getByLabel(/^(Why is it paused\?|Почему приостанавливаете\?)/);
  await expect(reason).toBeVisible();
  const confirm = page.getByRole("button", { name: /^(Pause the restaurant|Приостановить ресторан)$/ });
  // No reason, no pause.
  await expect(confirm).toBeDisabled();
  await reason.fill("Unpaid invoice for November");
  await confirm.click();
  await expect(page.getByText(/(Paused: |Приостановлен: )Unpaid invoice for November/)).toBeVisible();

  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await signIn(owner, DEMO_USERS.owner);
  if ((await owner.getByTestId("active-restaurant").textContent())?.trim() !== bar) {
    await owner.getByRole("combobox", { name: /restaurant|ресторан/i }).selectOption({ label: bar });
    await expect(owner.getByTestId("active-restaurant")).toHaveText(bar);
  }
  const banner = owner.getByTestId("paused-banner");
  await expect(banner).toContainText(/paused by the platform|приостановлен администратором платформы/i);
  await expect(banner).toContainText("Unpaid invoice for November");
  await owner.goto("/settings");
  await expect(owner.getByTestId("poster-status")).toHaveText(/^(Paused by the platform|Приостановлен платформой)$/);
  await expect(owner.getByTestId("paused-note")).toContainText("Unpaid invoice for November");
  await expect(owner.getByRole("button", { name: /^(Sync now|Синхронизировать)$/ })).toHaveCount(0);

  await page.getByRole("button", { name: new RegExp(`^(Resume|Возобновить) ${escapeRegExp(bar)}$`) }).click();
  await expect(page.getByText(/(Resumed;|Возобновлён;)/)).toBeVisible();
  await owner.reload();
  await expect(owner.getByRole("button", { name: /^(Sync now|Синхронизировать)$/ })).toBeVisible();
  await expect(owner.getByTestId("paused-banner")).toHaveCount(0);
  await ownerContext.close();
});
