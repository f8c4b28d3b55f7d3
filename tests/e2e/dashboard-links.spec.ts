import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { setLocale, signIn } from "../support/e2e-pages";

// Issue 17, item 8: every «needs attention» line leads to its screen, and the main navigation fits a phone.
test.use({ viewport: { width: 390, height: 844 } });

const LINES = {
  ru: [/заяв|Нет заявок/, /заказ\S* к отправке|Нет заказов к отправке/, /поставк\S* в пути|Нет поставок/, /без поставщика|есть поставщик/],
  en: [/request|No requests/, /to send|No orders to send/, /in transit|No deliveries/, /supplier/],
} as const;
const TARGETS = [/\/orders#requests$/, /\/orders#group-draft$/, /\/orders#group-sent$/, /\/orders\/unsorted$/];

for (const locale of ["ru", "en"] as const) {
  test(`dashboard lines are links and the nav fits 390 px (${locale})`, async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, DEMO_USERS.owner);
    await setLocale(page, locale);
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", locale);

    // The owner's six entries are all on screen: none cut off or scrolled out of the 390 px width.
    const nav = page.getByRole("navigation", { name: /^(Main|Главное меню)$/ }).first();
    const links = nav.getByRole("link");
    expect(await links.count()).toBeGreaterThanOrEqual(5);
    for (const box of await links.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const attention = page.getByRole("region", { name: /^(Требует внимания|Needs attention)$/ });
    for (const [i, text] of LINES[locale].entries()) {
      await page.goto("/");
      const line = attention.getByRole("link", { name: text }).first();
      await expect(line).toBeVisible();
      await line.click();
      await expect(page).toHaveURL(TARGETS[i]!);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    }

    await page.goto("/");
    const last = page.getByRole("region", { name: /^(Последний заказ|Last order)$/ }).getByRole("link");
    if ((await last.count()) > 0) {
      await last.click();
      await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    }
    await setLocale(page, null);
  });
}
