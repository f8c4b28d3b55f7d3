import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../../server/demo/logins";
import { E2E_NEW_PASSWORD, E2E_WRONG_PASSWORDS } from "../support/e2e-secrets";

// The platform admin: no other spec relies on its password, and the first test puts the demo password back.
const email = DEMO_USERS.admin;

/** Our alerts; Next's route announcer is an (empty) alert too. */
function alert(page: Page, text: RegExp) {
  return page.getByRole("alert").filter({ hasText: text });
}

async function signIn(page: Page, user: string, password: string) {
  await page.getByLabel(/e-mail|почта/i).fill(user);
  await page.getByLabel(/^(password|пароль)$/i).fill(password);
  await page.getByRole("button", { name: /^(sign in|войти)$/i }).click();
}

/** A refused sign-in: after the answer React resets the form (the e-mail is kept); typing earlier would be lost. */
async function expectRefused(page: Page, user: string, text: RegExp) {
  await expect(alert(page, text)).toBeVisible();
  await expect(page.getByLabel(/^(password|пароль)$/i)).toHaveValue("");
  await expect(page.getByLabel(/e-mail|почта/i)).toHaveValue(user);
}

test("a forgotten password is reset through the e-mailed link, which works once", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("link", { name: /forgot your password|забыли пароль/i }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel(/e-mail/i).fill(email);
  await page.getByRole("button", { name: /send link|отправить ссылку/i }).click();
  await expect(page.getByRole("status")).toContainText(email);

  // No SMTP in e2e: the mail is in the local outbox, newest first.
  await page.goto("/outbox");
  const mail = page.getByRole("article").filter({ hasText: email }).first();
  await expect(mail).toBeVisible();
  const link = mail.getByRole("link", { name: /\/reset-password\// });
  const href = (await link.getAttribute("href"))!;
  expect(href).toMatch(/^http:\/\/localhost:\d+\/reset-password\/[A-Za-z0-9_-]{43}$/);
  await link.click();

  await expect(page.getByRole("heading", { name: /set a new password|новый пароль/i })).toBeVisible();
  // A weak password is refused with a clear message; the link still works.
  await page.getByLabel(/^(new password|новый пароль)$/i).fill("password123");
  await page.getByLabel(/repeat|повторите/i).fill("password123");
  await page.getByRole("button", { name: /save password|сохранить пароль/i }).click();
  await expect(alert(page, /common|guess|распространённых|подобрать/i)).toBeVisible();

  await page.getByLabel(/^(new password|новый пароль)$/i).fill(E2E_NEW_PASSWORD);
  await page.getByLabel(/repeat|повторите/i).fill(E2E_NEW_PASSWORD);
  await page.getByRole("button", { name: /save password|сохранить пароль/i }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=1/);
  await expect(page.getByRole("status")).toContainText(/password has been changed|пароль изменён/i);

  // The old password no longer works; the new one does.
  await signIn(page, email, DEMO_PASSWORD);
  await expectRefused(page, email, /wrong e-mail or password|неверная почта или пароль/i);
  await signIn(page, email, E2E_NEW_PASSWORD);
  await expect(page).not.toHaveURL(/\/sign-in/);
  await page.goto("/account");
  await expect(page.getByText(email)).toBeVisible();

  // The link was single-use.
  await page.goto(href);
  await expect(alert(page, /already been used|уже использована/i)).toBeVisible();

  // Put the demo password back through the account page; changing it signs out everywhere.
  await page.goto("/account");
  const form = page.getByRole("form", { name: /change password|смена пароля/i });
  await form.getByLabel(/current password|текущий пароль/i).fill(E2E_NEW_PASSWORD);
  await form.getByLabel(/^(new password|новый пароль)$/i).fill(DEMO_PASSWORD);
  await form.getByLabel(/repeat|повторите/i).fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: /change password|сменить пароль/i }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, email, DEMO_PASSWORD);
  await expect(page).not.toHaveURL(/\/sign-in/);
});

test("the same answer for an unknown e-mail, and nothing in the outbox for it", async ({ page }) => {
  const unknown = "nobody-e2e@demo.test";
  await page.goto("/forgot-password");
  await page.getByLabel(/e-mail/i).fill(unknown);
  await page.getByRole("button", { name: /send link|отправить ссылку/i }).click();
  await expect(page.getByRole("status")).toContainText(unknown);
  await page.goto("/outbox");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("article").filter({ hasText: unknown })).toHaveCount(0);
});

test("six wrong passwords for one e-mail get the rate-limit message with a wait", async ({ page }) => {
  const target = "ratelimit-e2e@demo.test";
  await page.goto("/sign-in");
  for (const [i, password] of E2E_WRONG_PASSWORDS.entries()) {
    await signIn(page, target, password);
    if (i < 5) await expectRefused(page, target, /wrong e-mail or password|неверная почта или пароль/i);
    else await expectRefused(page, target, /too many attempts\. try again in \d+ seconds|слишком много попыток\. повторите через \d+ с/i);
  }
});
