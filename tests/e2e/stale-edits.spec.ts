import { expect, type Page, test } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { DEMO_ACCOUNTS } from "../../simulator/demo";
import { escapeRegExp, signIn } from "../support/e2e-pages";

const cafe = DEMO_ACCOUNTS[0];
const sim = (method: string, query = "") => `/api/poster-sim/api/${method}?token=${encodeURIComponent(cafe.token)}${query}`;
const quantityBox = (page: Page, name: string) => page.getByRole("textbox", { name: new RegExp(`^(Quantity for|Количество для) ${escapeRegExp(name)}$`) });
const saved = (page: Page) => expect(page.getByTestId("draft-status")).toHaveText(/^(Saved|Сохранено)$/);

/** A manager's request for one product, merged into a draft order and sent: answers the order's URL and number. */
async function sentOrder(page: Page): Promise<{ href: string; number: string }> {
  await page.goto("/");
  await page.getByRole("link", { name: /^(Open the .+ checklist|Открыть чек-лист: .+)$/ }).first().click();
  const rows = page.getByTestId("checklist-row");
  await expect(rows.first()).toBeVisible();
  const product = (await rows.nth(1).locator("h3").textContent())!;
  await quantityBox(page, product).fill("4");
  await saved(page);
  await page.getByRole("button", { name: /^(Submit request|Отправить заявку)$/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: /^(Send request|Да, отправить)$/ }).click();
  await expect(page).toHaveURL(/\/\?submitted=1$/);

  await page.goto("/orders");
  await page.getByRole("button", { name: /^(Create orders from requests|Создать заказы из заявок)$/ }).click();
  await expect(page.getByText(/(lines? placed|размещен\S* \d+ позици|Новых заказов нет|No new orders)/i)).toBeVisible();
  const unsorted = page.getByRole("link", { name: /^(Assign suppliers|Назначить поставщиков)$/ });
  if (await unsorted.isVisible()) {
    await unsorted.click();
    await page.getByRole("checkbox", { name: /^(Select all|Выбрать все)$/ }).check();
    await page.getByRole("combobox", { name: /^(Supplier|Поставщик)$/ }).selectOption({ index: 1 });
    await page.getByRole("button", { name: /^(Assign to|Назначить)/ }).click();
    await page.getByRole("button", { name: /^(Create orders from requests|Создать заказы из заявок)$/ }).click();
    await expect(page.getByText(/(lines? placed|размещен\S* \d+ позици)/i)).toBeVisible();
    await page.goto("/orders");
  }
  // The draft that holds the product.
  const drafts = page.getByRole("region", { name: /^(Draft|Черновик)/ }).getByRole("link");
  const hrefs = await drafts.evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
  for (const href of hrefs) {
    await page.goto(href);
    await expect(page.getByRole("heading", { name: /^(Lines|Позиции)$/ })).toBeVisible();
    if ((await page.getByText(product, { exact: true }).count()) === 0) continue;
    await page.getByRole("button", { name: /^(Copy text|Скопировать текст)$/ }).click();
    await expect(page.getByRole("heading", { level: 1 }).locator("..").getByText(/^(Sent|Отправлен)$/)).toBeVisible();
    const number = /(?:№|#)(\d+)/.exec((await page.getByText(/^(Order #|Заказ №)\d+/).first().textContent())!)![1]!;
    return { href, number };
  }
  throw new Error(`no draft order holds ${product}`);
}

async function openReceiveForm(page: Page) {
  await page.getByRole("button", { name: /^(Receive delivery|Принять поставку)$/ }).click();
  const prices = page.getByRole("textbox", { name: /^(Price for|Цена:) / });
  for (let i = 0; i < (await prices.count()); i++) if ((await prices.nth(i).inputValue()) === "") await prices.nth(i).fill("120");
}

test("a receive form left open in a second tab is refused and rebuilt: Poster gets one supply, not two", async ({ page, context }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, DEMO_USERS.manager);
  const { href, number } = await sentOrder(page);

  // Both tabs open the receive form on the order as it is now.
  const second = await context.newPage();
  await second.goto(href);
  await openReceiveForm(second);
  await page.goto(href);
  await openReceiveForm(page);

  // The first tab confirms everything.
  await page.getByRole("button", { name: /^(Confirm receipt|Подтвердить приёмку)$/ }).click();
  await expect(page.getByRole("heading", { level: 1 }).locator("..").getByText(/^(Received|Принят)$/)).toBeVisible();

  // The second tab's old form, still showing the ordered quantities, is refused: it says the order changed and
  // shows it as it is now (received: nothing left to receive), instead of posting the quantities again.
  await second.getByRole("button", { name: /^(Confirm receipt|Подтвердить приёмку)$/ }).click();
  await expect(second.getByTestId("order-changed")).toContainText(/order changed meanwhile|Заказ успел измениться/);
  await expect(second.getByRole("heading", { level: 1 }).locator("..").getByText(/^(Received|Принят)$/)).toBeVisible();
  await expect(second.getByRole("button", { name: /^(Confirm receipt|Подтвердить приёмку)$/ })).toHaveCount(0);
  await expect(second.getByRole("button", { name: /^(Receive delivery|Принять поставку)$/ })).toHaveCount(0);

  // One receipt, one posting per storage, and exactly one supply in Poster for this order.
  const postings = page.getByTestId("posting");
  await expect(postings).toHaveCount(1);
  await expect(postings).toHaveAttribute("data-status", "posted", { timeout: 30_000 });
  const list = (await (await page.request.get(sim("storage.getSupplies", "&limit=200&offset=0"))).json()) as { response: Array<{ supply_comment: string }> };
  expect(list.response.filter((s) => s.supply_comment.includes(`№${number} `) || s.supply_comment.includes(`#${number} `))).toHaveLength(1);
  await second.close();
});

test("a checklist line edited on two devices: the last change wins and the device says what it replaced", async ({ page, context }) => {
  await signIn(page, DEMO_USERS.staff);
  await expect(page).toHaveURL(/\/departments\/[0-9a-f-]{36}$/);
  const tablet = await context.newPage();
  await tablet.goto(page.url());
  const rows = page.getByTestId("checklist-row");
  await expect(rows.first()).toBeVisible();
  await expect(tablet.getByTestId("checklist-row").first()).toBeVisible();
  const product = (await rows.nth(2).locator("h3").textContent())!;

  // The phone sets 7; the tablet, still showing what it loaded, sets 9 a moment later.
  await quantityBox(page, product).fill("7");
  await saved(page);
  await quantityBox(tablet, product).fill("9");
  await saved(tablet);
  await expect(tablet.getByTestId("replaced-notice")).toContainText(/(another device to 7|другом устройстве тем временем указали 7)/);
  await expect(tablet.getByTestId("replaced-notice")).toContainText(/(your 9 replaced it|ваше значение 9 его заменило)/);
  // The server has the tablet's 9, which the phone shows once it loads again.
  await page.reload();
  await expect(quantityBox(page, product)).toHaveValue("9");
  await tablet.close();
});
