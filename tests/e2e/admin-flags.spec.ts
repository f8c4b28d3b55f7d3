import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { signIn } from "../support/e2e-pages";

test("the admin switches Poster writes off on the flags screen; the owner is told on every page; back to default lifts it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_USERS.admin);
  await page.goto("/admin");
  const flag = page.getByTestId("flag-poster.writes");
  await expect(flag.getByTestId("flag-summary")).toContainText(/On for every restaurant|Включено для всех ресторанов/);
  await flag.getByLabel(/^(Rule|Правило)/).selectOption("off");
  await flag.getByRole("button", { name: /^(Save|Сохранить)$/ }).click();
  await expect(flag.getByRole("status")).toContainText(/Saved|Сохранено/);
  await expect(flag.getByTestId("flag-summary")).toContainText(/Off for every restaurant|Выключено для всех ресторанов/);
  await expect(flag.getByTestId("flag-summary")).toContainText(/set here|задано здесь/);
  // The export is rolled out to the demo restaurants (the seed lists them).
  await expect(page.getByTestId("flag-export.owner").getByTestId("flag-summary")).toContainText(/2 restaurants|2 ресторана/);

  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  try {
    await signIn(owner, DEMO_USERS.owner);
    await expect(owner.getByTestId("switched-off-banner")).toContainText(/Posting to Poster is switched off|Отправка в Poster сейчас выключена/);
    await owner.goto("/settings");
    await expect(owner.getByTestId("switched-off-banner")).toBeVisible();
    // The demo restaurants are in the export's rollout.
    await expect(owner.getByRole("button", { name: /^(Prepare the download|Prepare a new one|Подготовить архив|Подготовить заново)$/ })).toBeVisible();
    await expect(owner.getByTestId("export-not-yet")).toHaveCount(0);

    await flag.getByRole("button", { name: /^(Back to default|Вернуть по умолчанию)$/ }).click();
    await expect(flag.getByTestId("flag-summary")).toContainText(/default|по умолчанию/);
    await owner.reload();
    await expect(owner.getByTestId("poster-status")).toBeVisible();
    await expect(owner.getByTestId("switched-off-banner")).toHaveCount(0);
  } finally {
    await ownerContext.close();
  }
});
