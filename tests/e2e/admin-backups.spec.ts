import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { signIn } from "../support/e2e-pages";

test("the admin overview shows the last backup with its age and size, and no alert while it is fresh", async ({ page }) => {
  await signIn(page, DEMO_USERS.admin);
  await page.goto("/admin");
  const panel = page.getByRole("region", { name: /^(Backups|Резервные копии)$/ });
  // The server's daily backup.run catches up on start; the panel refreshes every minute, a reload is quicker.
  await expect(async () => {
    await page.reload();
    await expect(panel).toContainText(/(Last backup|Последняя копия).*\d+([.,]\d)? (KiB|MiB|КиБ|МиБ)/, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(panel).toContainText(/(ago|now|назад|сейчас)/);
  await expect(panel.getByRole("alert")).toHaveCount(0);
});
