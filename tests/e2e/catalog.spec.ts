import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../../server/demo/logins";

async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|почта/i).fill(email);
  await page.getByLabel(/password|пароль/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /sign in|войти/i }).click();
  await expect(page.getByTestId("active-restaurant")).toBeVisible();
}

test("a manager sets a supplier e-mail and a par level; a reload shows both", async ({ page }) => {
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/catalog");

  // The demo data comes from the Poster simulator: work on whichever supplier and product come first.
  const edit = page.getByRole("button", { name: /^(edit|изменить) /i }).first();
  const supplierName = (await edit.getAttribute("aria-label"))!.replace(/^(edit|изменить) /i, "");
  await edit.click();
  const form = page.getByRole("form", { name: /^(edit|изменить) /i });
  await form.getByLabel(/^(e-mail|эл\. почта)$/i).fill("not-an-email");
  await form.getByRole("button", { name: /^(save|сохранить)$/i }).click();
  await expect(form.getByText(/valid e-mail|правильный адрес/i)).toBeVisible();
  await form.getByLabel(/^(e-mail|эл\. почта)$/i).fill("Orders@Veg.example");
  await form.getByRole("button", { name: /^(save|сохранить)$/i }).click();
  await expect(form).toBeHidden();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: new RegExp(`^(edit|изменить) ${escape(supplierName)}$`, "i") }) });
  await expect(card.getByTestId("supplier-email")).toHaveText("orders@veg.example");

  await page.getByRole("tab", { name: /products|товары/i }).click();
  const firstPar = page.getByRole("textbox", { name: /^(par level for|норма для) /i }).first();
  const parLabel = (await firstPar.getAttribute("aria-label"))!;
  const par = page.getByRole("textbox", { name: parLabel, exact: true });
  // Invalid input stays on screen with a message and is never sent.
  await par.fill("-1");
  await par.press("Enter");
  await expect(page.getByText(/non-negative number|неотрицательное число/i)).toBeVisible();
  const saved = page.waitForResponse((r) => r.url().includes("catalog.products.setParLevels") && r.ok());
  await par.fill("12,5");
  await par.press("Enter");
  await saved;

  await page.reload();
  await expect(page.getByRole("tab", { name: /products|товары/i })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("textbox", { name: parLabel, exact: true })).toHaveValue("12.5");
  await page.getByRole("tab", { name: /suppliers|поставщики/i }).click();
  await expect(card.getByTestId("supplier-email")).toHaveText("orders@veg.example");
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test("history shows its filters and exports CSV and XLSX for a manager, and nothing without a session", async ({ page, request }) => {
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/history");
  await expect(page.getByRole("heading", { name: /order history|история заказов/i })).toBeVisible();
  await page.getByLabel(/^(status|статус)/i).selectOption("sent");
  await expect(page).toHaveURL(/status=sent/);

  const csvHref = await page.getByRole("link", { name: /export csv|выгрузить csv/i }).getAttribute("href");
  expect(csvHref).toContain("status=sent");
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.body()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const xlsx = await page.request.get((await page.getByRole("link", { name: /export excel|выгрузить excel/i }).getAttribute("href"))!);
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");

  // The request fixture has no cookies: no session.
  const anonymous = await request.get("/api/export/orders?format=csv");
  expect(anonymous.status()).toBe(401);
});
