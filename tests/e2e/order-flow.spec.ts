import { expect, type Page, test } from "@playwright/test";
import { DEMO_ACCOUNTS } from "../../simulator/demo";
import { DEMO_PASSWORD, DEMO_USERS } from "../../server/demo/logins";

// The demo café speaks Russian; the patterns accept either language.
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const cafe = DEMO_ACCOUNTS[0];
const sim = (method: string, query = "") => `/api/poster-sim/api/${method}?token=${encodeURIComponent(cafe.token)}${query}`;

async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|почта/i).fill(email);
  await page.getByLabel(/password|пароль/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /sign in|войти/i }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

async function signOut(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: /^(sign out|выйти)$/i }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

test("checklist → orders → WhatsApp and e-mail → receive with a short line → one Poster supply for that storage", async ({ page, context }) => {
  test.setTimeout(180_000);

  // 1. Staff fills the kitchen checklist; a reload mid-way loses nothing.
  await signIn(page, DEMO_USERS.staff);
  await expect(page).toHaveURL(/\/departments\/[0-9a-f-]{36}$/);
  const rows = page.getByTestId("checklist-row");
  await expect(rows.first()).toBeVisible();
  // Rows spread over the whole list, so the products fall into several categories (several default suppliers).
  const all = await rows.locator("h3").allTextContents();
  const names = [...new Set([0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1].map((f) => all[Math.min(all.length - 1, Math.floor(f * all.length))]!))];
  const quantity = (name: string) => page.getByRole("textbox", { name: new RegExp(`^(Quantity for|Количество для) ${escape(name)}$`) });
  for (const [i, name] of names.entries()) {
    await quantity(name).fill(String(i + 2));
    if (i === 3) {
      await expect(page.getByTestId("draft-status")).toHaveText(/^(Saved|Сохранено)$/);
      await page.reload();
      for (const [j, earlier] of names.slice(0, 4).entries()) await expect(quantity(earlier)).toHaveValue(String(j + 2));
    }
  }
  await expect(page.getByTestId("draft-status")).toHaveText(/^(Saved|Сохранено)$/);
  await page.getByRole("button", { name: /^(Submit request|Отправить заявку)$/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: /^(Send request|Да, отправить)$/ }).click();
  await expect(page).toHaveURL(/\/\?submitted=1$/);
  await signOut(page);

  // 2. The manager turns the requests into purchase orders (assigning a supplier to anything unsorted).
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/orders");
  await page.getByRole("button", { name: /^(Create orders from requests|Создать заказы из заявок)$/ }).click();
  await expect(page.getByText(/(new orders?|новы\S+ заказ)/i)).toBeVisible();
  const unsortedLink = page.getByRole("link", { name: /^(Assign suppliers|Назначить поставщиков)$/ });
  if (await unsortedLink.isVisible()) {
    await unsortedLink.click();
    await page.getByRole("checkbox", { name: /^(Select all|Выбрать все)$/ }).check();
    const picker = page.getByRole("combobox", { name: /^(Supplier|Поставщик)$/ });
    await picker.selectOption({ index: 1 });
    await page.getByRole("button", { name: /^(Assign to|Назначить)/ }).click();
    await page.getByRole("button", { name: /^(Create orders from requests|Создать заказы из заявок)$/ }).click();
    await expect(page.getByText(/(lines? placed|размещен\S* \d+ позици)/i)).toBeVisible();
    await page.goto("/orders");
  }
  const drafts = page.getByRole("region", { name: /^(Draft|Черновик)/ }).getByRole("link");
  await expect(drafts.nth(1)).toBeVisible();
  const [firstHref, secondHref] = [await drafts.nth(0).getAttribute("href"), await drafts.nth(1).getAttribute("href")];

  // 3a. The first supplier by WhatsApp: the link carries the supplier's number and the message; the send is recorded.
  await page.goto(firstHref!);
  const message = (await page.getByTestId("order-message").textContent())!;
  expect(message).toMatch(/^(Здравствуйте!|Hello!)/);
  expect(message).toContain("Кафе «Демо»");
  expect(message).toMatch(/\n1\. .+ — \d+ (кг|л|шт|kg|l|pcs)/);
  const whatsapp = page.getByRole("link", { name: "WhatsApp" });
  const href = (await whatsapp.getAttribute("href"))!;
  expect(href.startsWith("https://wa.me/")).toBe(true);
  expect(href).toContain(`text=${encodeURIComponent(message)}`);
  // The messenger opens in a new tab; keep the test offline by answering it locally.
  await context.route("https://wa.me/**", (route) => route.fulfill({ status: 200, body: "whatsapp" }));
  const popup = context.waitForEvent("page");
  await whatsapp.click();
  await (await popup).close();
  await expect(page.getByText(/(Recorded as sent by WhatsApp|Отмечено как отправленное: WhatsApp)/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 }).locator("..").getByText(/^(Sent|Отправлен)$/)).toBeVisible();
  const firstSupplier = (await page.getByRole("heading", { level: 1 }).textContent())!;

  // 3b. The second supplier by e-mail, after adding its address in the catalogue.
  await page.goto(secondHref!);
  const secondSupplier = (await page.getByRole("heading", { level: 1 }).textContent())!;
  expect(secondSupplier).not.toBe(firstSupplier);
  await expect(page.getByRole("button", { name: /^(E-mail)$/ })).toBeDisabled();
  await page.goto("/catalog?tab=suppliers");
  await page.getByRole("searchbox", { name: /(Search suppliers|Поиск поставщиков)/ }).fill(secondSupplier);
  await page.getByRole("button", { name: new RegExp(`^(Edit|Изменить) ${escape(secondSupplier)}$`) }).click();
  await page.getByLabel(/^(E-mail|Эл\. почта)$/).fill("orders@supplier.test");
  await page.getByRole("button", { name: /^(Save|Сохранить)$/ }).click();
  await expect(page.getByRole("button", { name: new RegExp(`^(Edit|Изменить) ${escape(secondSupplier)}$`) })).toBeVisible();
  await page.goto(secondHref!);
  await page.getByRole("button", { name: /^(E-mail)$/ }).click();
  await expect(page.getByText(/(E-mail sent to|Письмо отправлено на) orders@supplier\.test/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 }).locator("..").getByText(/^(Sent|Отправлен)$/)).toBeVisible();
  const emailed = (await page.getByTestId("order-message").textContent())!;
  // No SMTP in e2e: the supplier's mail is in the local outbox, in the restaurant's language.
  await page.goto("/outbox");
  const mail = page.getByRole("article").filter({ hasText: "orders@supplier.test" }).first();
  await expect(mail).toContainText("Кафе «Демо»");
  await expect(mail).toContainText(emailed.split("\n")[2]!);

  // 4. The WhatsApp order arrives with one line short.
  await page.goto(firstHref!);
  await page.getByRole("button", { name: /^(Receive delivery|Принять поставку)$/ }).click();
  const qtyInputs = page.getByRole("textbox", { name: /^(Received quantity for|Принято:) / });
  const lineCount = await qtyInputs.count();
  const shortLabel = (await qtyInputs.first().getAttribute("aria-label"))!;
  const shortName = shortLabel.replace(/^(Received quantity for|Принято:) /, "");
  const ordered = Number((await qtyInputs.first().inputValue()).replace(",", "."));
  await qtyInputs.first().fill(String(ordered - 1));
  await expect(page.getByText(/^(Short by|Недостача) /)).toBeVisible();
  await page.getByRole("radio", { name: /^(Return to requests|Вернуть в заявки)$/ }).check();
  const price = page.getByRole("textbox", { name: new RegExp(`^(Price for|Цена:) ${escape(shortName)}$`) });
  await price.fill("150");
  for (let i = 0; i < lineCount; i++) {
    const p = page.getByRole("textbox", { name: /^(Price for|Цена:) / }).nth(i);
    if ((await p.inputValue()) === "") await p.fill("99,5");
  }
  await page.getByRole("button", { name: /^(Confirm receipt|Подтвердить приёмку)$/ }).click();
  await expect(page.getByRole("heading", { level: 1 }).locator("..").getByText(/^(Received|Принят|Partially received|Принят частично)$/)).toBeVisible();

  // 5. The job runner posts the supply to Poster: exactly one, for the kitchen storage, with the received lines.
  const posting = page.getByTestId("posting");
  await expect(posting).toHaveCount(1);
  await expect(posting).toHaveAttribute("data-status", "posted", { timeout: 30_000 });
  const supplyId = Number(/(?:supply #|поставка №)(\d+)/.exec((await posting.textContent())!)![1]);
  const orderNumber = /№(\d+)|#(\d+)/.exec((await page.getByText(/^(Order #|Заказ №)\d+/).first().textContent())!)!.slice(1).find(Boolean);

  const storageName = (await posting.locator("span").first().textContent())!;
  const list = (await (await page.request.get(sim("storage.getSupplies", "&limit=100&offset=0"))).json()) as { response: Array<{ supply_id: string; storage_name: string; supply_comment: string }> };
  const ours = list.response.filter((s) => s.supply_comment.includes(`№${orderNumber} `) || s.supply_comment.includes(`#${orderNumber} `));
  expect(ours).toHaveLength(1);
  expect(Number(ours[0]!.supply_id)).toBe(supplyId);
  expect(ours[0]!.storage_name).toBe(storageName);
  const supply = (await (await page.request.get(sim("storage.getSupplyIngredients", `&supply_id=${supplyId}`))).json()) as { response: Array<{ ingredient_name: string; supply_ingredient_num: string; supply_ingredient_sum: string }> };
  expect(supply.response).toHaveLength(lineCount);
  const shortLine = supply.response.find((l) => l.ingredient_name === shortName)!;
  expect(Number(shortLine.supply_ingredient_num)).toBe(ordered - 1);
  expect(Number(shortLine.supply_ingredient_sum)).toBe((ordered - 1) * 15000);
});
