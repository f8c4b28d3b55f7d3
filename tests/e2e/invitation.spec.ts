import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../../server/demo/logins";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("an owner invites a staff member, who registers from the link and lands in that restaurant with only the invited department", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|почта/i).fill(DEMO_USERS.owner);
  await page.getByLabel(/password|пароль/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /sign in|войти/i }).click();
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
  await dialog.getByRole("button", { name: /Create invitation link|Создать ссылку-приглашение/ }).click();

  // The link is read from the page, as a manager would copy it.
  const linkBox = dialog.getByRole("textbox", { name: /Invitation link|Ссылка-приглашение/ });
  await expect(linkBox).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const link = await linkBox.inputValue();
  await dialog.getByRole("button", { name: /^(Copy link|Скопировать ссылку)$/ }).click();
  await expect(dialog.getByRole("button", { name: /^(Copied|Скопировано)$/ })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await expect(dialog.getByRole("link", { name: /WhatsApp/ })).toHaveAttribute("href", new RegExp(`^https://wa\\.me/\\?text=.*${escape(encodeURIComponent(link))}`));
  await dialog.getByRole("button", { name: /^(Done|Готово)$/ }).click();
  await expect(page.getByRole("button", { name: /^(Revoke the staff invitation|Отозвать приглашение \(сотрудник\))/ }).first()).toBeVisible();

  await page.getByRole("button", { name: /sign out|выйти/i }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await page.goto(link);
  await expect(page.getByTestId("invite-summary")).toContainText(restaurant);
  const email = `invited-${Date.now()}@demo.test`;
  await page.getByLabel(/^(Your name|Ваше имя)$/).fill("Invited Cook");
  await page.getByLabel(/^(E-mail|Почта)$/).fill(email);
  await page.getByLabel(/^(Password|Пароль)$/).fill("amber-walrus-quietly-juggles-42");
  await page.getByRole("button", { name: /Create account and join|Создать учётную запись и войти/ }).click();

  // Staff with one department go straight into its checklist.
  await expect(page).toHaveURL(/\/departments\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const response = await page.request.get("/api/trpc/restaurant.current");
  expect(response.ok()).toBe(true);
  const current = (await response.json()).result.data.json as { restaurant: { name: string }; role: string; departments: { name: string }[]; permissions: string[] };
  expect(current.restaurant.name).toBe(restaurant);
  expect(current.role).toBe("staff");
  expect(current.departments.map((d) => d.name)).toEqual([department]);
  expect(current.permissions).toContain("orders.receive");
  expect(current.permissions).not.toContain("orders.send");

  // The link was single-use.
  await page.goto(link);
  await expect(page.getByRole("alert").filter({ hasText: /already been used|уже использовано/ })).toBeVisible();
});
