import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { invitationLinkMailedTo, signIn } from "../support/e2e-pages";

/** What the connection-problem texts say: none of these screens may blame the connection. */
const CONNECTION = /check your connection|проверьте соединение/i;

test("a device signed out elsewhere says so and leads to the sign-in page", async ({ page, browser }) => {
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/history");
  await expect(page.getByRole("heading", { name: /order history|история заказов/i })).toBeVisible();

  // The same person signs out everywhere on another device.
  const other = await browser.newContext();
  const phone = await other.newPage();
  await signIn(phone, DEMO_USERS.manager);
  await phone.goto("/account");
  await phone.getByRole("button", { name: /^(Sign out everywhere|Выйти на всех устройствах)$/ }).click();
  await expect(phone).toHaveURL(/\/sign-in/);
  await other.close();

  // The first tab's next call is refused: the screen says what happened and where to go.
  await page.getByLabel(/^(status|статус)/i).selectOption("sent");
  const notice = page.getByTestId("access-problem");
  await expect(notice).toContainText(/session has ended|сеанс завершён/i);
  await expect(page.getByText(CONNECTION)).toHaveCount(0);
  await notice.getByRole("link", { name: /^(Sign in|Войти)$/ }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByLabel(/password|пароль/i)).toBeVisible();
});

test("a member whose access was removed is told so in the open tab and after signing in again", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_USERS.owner);
  const restaurant = (await page.getByTestId("active-restaurant").textContent())!.trim();
  await page.goto("/team");
  await page.getByRole("button", { name: /^(Invite someone|Пригласить)$/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("radio", { name: /^(staff|сотрудник)$/ }).check();
  const departments = dialog.getByRole("group", { name: /^(Departments|Отделы)$/ });
  await departments.getByRole("checkbox").first().check();
  const name = `Temp Cook ${Date.now()}`;
  const email = `temp-cook-${Date.now()}@demo.test`;
  const password = "amber-walrus-quietly-juggles-42";
  // By e-mail (the default kind): the link goes to the address only.
  await dialog.getByLabel(/^(E-mail|Почта)$/).fill(email);
  await dialog.getByRole("button", { name: /^(Send invitation|Отправить приглашение)$/ }).click();
  await expect(dialog.getByRole("status")).toContainText(email);
  await dialog.getByRole("button", { name: /^(Done|Готово)$/ }).click();

  // The newcomer opens the e-mail on their own phone, registers and starts a checklist.
  const phoneContext = await browser.newContext();
  const phone = await phoneContext.newPage();
  await phone.goto(await invitationLinkMailedTo(phone, email));
  await phone.getByLabel(/^(Your name|Ваше имя)$/).fill(name);
  await expect(phone.getByLabel(/^(E-mail|Почта)$/)).toHaveValue(email);
  await phone.getByLabel(/^(Password|Пароль)$/).fill(password);
  await phone.getByRole("button", { name: /Create account and join|Создать учётную запись и войти/ }).click();
  await expect(phone).toHaveURL(/\/departments\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  await expect(phone.getByTestId("checklist-row").first()).toBeVisible();

  // The owner deactivates them.
  await page.reload();
  await page.getByRole("button", { name: new RegExp(`^(Edit|Изменить:) ${name}$`) }).click();
  await page.getByRole("button", { name: /^(Deactivate|Отключить)$/ }).click();
  await page.getByRole("button", { name: /^(Yes, deactivate|Да, отключить)$/ }).click();

  // Their open tab: the next save is refused; the screen says their session ended, not "check your connection".
  await phone.getByRole("textbox", { name: /^(Quantity for|Количество для) / }).first().fill("2");
  const notice = phone.getByTestId("access-problem");
  await expect(notice).toContainText(/session has ended|сеанс завершён/i, { timeout: 15_000 });
  await expect(phone.getByText(CONNECTION)).toHaveCount(0);
  await notice.getByRole("link", { name: /^(Sign in|Войти)$/ }).click();

  // Signing in again works (the account is theirs) and says which restaurant they lost.
  await signIn(phone, email, password);
  const removed = phone.getByTestId("access-problem");
  await expect(removed).toContainText(new RegExp(`(access to|доступ к) «${restaurant.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}» (was removed|закрыт)`));
  await expect(phone.getByText(CONNECTION)).toHaveCount(0);
  await expect(phone.getByTestId("load-error")).toHaveCount(0);
  await phoneContext.close();
});

test("a platform admin without a restaurant lands on the admin console, and the app's screens point there", async ({ page }) => {
  await signIn(page, DEMO_USERS.admin);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: /restaurants|рестораны/i })).toBeVisible();
  for (const screen of ["/", "/orders"]) {
    await page.goto(screen);
    const notice = page.getByTestId("access-problem");
    await expect(notice).toContainText(/not a member of any restaurant|не состоите ни в одном ресторане/i);
    await expect(page.getByText(CONNECTION)).toHaveCount(0);
    await expect(page.getByTestId("load-error")).toHaveCount(0);
  }
  await page.getByTestId("access-problem").getByRole("link", { name: /admin console|консоль администратора/i }).click();
  await expect(page).toHaveURL(/\/admin$/);
  // Their account (language, password, sessions) needs no restaurant.
  await page.goto("/account");
  await expect(page.getByText(DEMO_USERS.admin)).toBeVisible();
  await expect(page.getByTestId("access-problem")).toHaveCount(0);
});

test("a signed-out request for the dashboard is redirected at once (a refused prefetch is never retried)", async ({ request }) => {
  await request.get("/sign-in");
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = Date.now();
    const response = await request.get("/", { maxRedirects: 0 });
    times.push(Date.now() - started);
    expect(response.status()).toBe(307);
    expect(response.headers()["location"]).toMatch(/\/sign-in$/);
  }
  times.sort((a, b) => a - b);
  console.log(`signed-out GET / (ms, sorted): ${times.join(", ")}`);
  // Retried server-side prefetches made this about 3 s (two retries with backoff); it is one render now.
  expect(times[2]!).toBeLessThan(1000);
});
