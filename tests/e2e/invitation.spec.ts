import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { escapeRegExp, invitationLinkMailedTo, signIn } from "../support/e2e-pages";

const PASSWORD = "amber-walrus-quietly-juggles-42";

/** Signs the owner in, opens the invite sheet for a staff member of the first department; answers names. */
async function startInvite(page: Page) {
  await signIn(page, DEMO_USERS.owner);
  const active = page.getByTestId("active-restaurant");
  await expect(active).toBeVisible();
  const restaurant = (await active.textContent())!.trim();
  await page.goto("/team");
  await page.getByRole("button", { name: /^(Invite someone|Пригласить)$/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("radio", { name: /^(staff|сотрудник)$/ }).check();
  const departments = dialog.getByRole("group", { name: /^(Departments|Отделы)$/ });
  const department = (await departments.locator("label").first().textContent())!.trim();
  await departments.getByRole("checkbox", { name: department }).check();
  await dialog.getByRole("checkbox", { name: /Receives deliveries|Принимает поставки/ }).check();
  return { dialog, restaurant, department };
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: /sign out|выйти/i }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** On an e-mailed invitation: the address is fixed; name and password create the account and join. */
async function registerFromMail(page: Page, email: string) {
  await expect(page.getByLabel(/^(E-mail|Почта)$/)).toHaveValue(email);
  await page.getByLabel(/^(Your name|Ваше имя)$/).fill("Invited Cook");
  await page.getByLabel(/^(Password|Пароль)$/).fill(PASSWORD);
  await page.getByRole("button", { name: /Create account and join|Создать учётную запись и войти/ }).click();
  // Staff with one department go straight into its checklist.
  await expect(page).toHaveURL(/\/departments\/[0-9a-f-]{36}$/, { timeout: 20_000 });
}

async function expectJoined(page: Page, restaurant: string, department: string) {
  const response = await page.request.get("/api/trpc/restaurant.current");
  expect(response.ok()).toBe(true);
  const current = (await response.json()).result.data.json as { restaurant: { name: string }; role: string; departments: { name: string }[]; permissions: string[] };
  expect(current.restaurant.name).toBe(restaurant);
  expect(current.role).toBe("staff");
  expect(current.departments.map((d) => d.name)).toEqual([department]);
  expect(current.permissions).toContain("orders.receive");
  expect(current.permissions).not.toContain("orders.send");
}

test("an invitation by e-mail goes to that address only: the owner never sees its link, the invitee registers from the mail", async ({ page }) => {
  const { dialog, restaurant, department } = await startInvite(page);
  const email = `invited-${Date.now()}@demo.test`;
  await dialog.getByRole("radio", { name: /^(By e-mail|По почте)/ }).check();
  await dialog.getByLabel(/^(E-mail|Почта)$/).fill(email);
  await dialog.getByRole("button", { name: /^(Send invitation|Отправить приглашение)$/ }).click();
  await expect(dialog.getByRole("status")).toContainText(email);
  await expect(dialog.getByRole("textbox", { name: /Invitation link|Ссылка-приглашение/ })).toHaveCount(0);
  await expect(dialog).not.toContainText("/invite/");
  await dialog.getByRole("button", { name: /^(Done|Готово)$/ }).click();
  await expect(page.getByText(email)).toBeVisible();
  await signOut(page);

  const link = await invitationLinkMailedTo(page, email);
  await page.goto(link);
  await expect(page.getByTestId("invite-summary")).toContainText(restaurant);
  await registerFromMail(page, email);
  await expectJoined(page, restaurant, department);

  // The link was single-use.
  await page.goto(link);
  await expect(page.getByRole("alert").filter({ hasText: /already been used|уже использовано/ })).toBeVisible();
});

test("a shareable link (WhatsApp) makes the invitee prove their own address by e-mail before the account and membership exist", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { dialog, restaurant, department } = await startInvite(page);
  await dialog.getByRole("radio", { name: /^(Shareable link|Ссылка, которой можно поделиться)/ }).check();
  await dialog.getByRole("button", { name: /Create invitation link|Создать ссылку-приглашение/ }).click();

  // The link is read from the page, as a manager would copy it.
  const linkBox = dialog.getByRole("textbox", { name: /Invitation link|Ссылка-приглашение/ });
  await expect(linkBox).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const link = await linkBox.inputValue();
  await dialog.getByRole("button", { name: /^(Copy link|Скопировать ссылку)$/ }).click();
  await expect(dialog.getByRole("button", { name: /^(Copied|Скопировано)$/ })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await expect(dialog.getByRole("link", { name: /WhatsApp/ })).toHaveAttribute("href", new RegExp(`^https://wa\\.me/\\?text=.*${escapeRegExp(encodeURIComponent(link))}`));
  await dialog.getByRole("button", { name: /^(Done|Готово)$/ }).click();
  await expect(page.getByRole("button", { name: /^(Revoke the staff invitation|Отозвать приглашение \(сотрудник\))/ }).first()).toBeVisible();
  await signOut(page);

  // The link asks only for an address: no password, no account yet.
  await page.goto(link);
  await expect(page.getByTestId("invite-summary")).toContainText(restaurant);
  await expect(page.getByLabel(/^(Password|Пароль)$/)).toHaveCount(0);
  const email = `claimed-${Date.now()}@demo.test`;
  await page.getByLabel(/^(E-mail|Почта)$/).fill(email);
  await page.getByRole("button", { name: /^(Send me the link|Прислать ссылку)$/ }).click();
  await expect(page.getByRole("status")).toContainText(email);

  const mailed = await invitationLinkMailedTo(page, email);
  expect(mailed).not.toBe(link);
  await page.goto(mailed);
  await registerFromMail(page, email);
  await expectJoined(page, restaurant, department);

  // The shareable link was used up with it.
  await page.goto(link);
  await expect(page.getByRole("alert").filter({ hasText: /already been used|уже использовано/ })).toBeVisible();
});
