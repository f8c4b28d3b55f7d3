import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "../../server/demo/logins";
import { signIn } from "../support/e2e-pages";

/**
 * Issue 17, items 2, 5 and 9 at phone size: the staff member's note reaches the manager (on the requests before
 * merging and on the order), the manager reads the requests and merges some of them, and a note over the limit is
 * refused with a counter instead of being cut.
 */
test("a staff note is shown on the waiting request and on the order; the manager merges only the ticked request", async ({ page }) => {
  test.setTimeout(150_000);
  const note = `Молоко только 3,2 % — e2e ${Date.now()}`;

  // Staff: one line in the kitchen checklist, a note that is too long first, then the real one.
  await signIn(page, DEMO_USERS.staff);
  await expect(page).toHaveURL(/\/departments\/[0-9a-f-]{36}$/);
  const quantity = page.getByRole("textbox", { name: /^(Quantity for|Количество для) / }).first();
  await quantity.fill("3");
  await expect(page.getByTestId("draft-status")).toHaveText(/^(Saved|Сохранено)$/);
  await page.getByRole("button", { name: /^(Submit request|Отправить заявку)$/ }).click();
  const dialog = page.getByRole("dialog");
  const noteField = dialog.getByRole("textbox");
  await noteField.fill("а".repeat(1020));
  await expect(dialog.getByTestId("note-counter")).toHaveText(/(20 characters over|на 20 символов)/);
  await expect(noteField).toHaveValue("а".repeat(1020)); // nothing cut
  await expect(dialog.getByRole("button", { name: /^(Send request|Да, отправить)$/ })).toBeDisabled();
  await noteField.fill(note);
  await expect(dialog.getByTestId("note-counter")).toHaveText(new RegExp(`^(${note.length} of 1000|${note.length} из 1000)`));
  await dialog.getByRole("button", { name: /^(Send request|Да, отправить)$/ }).click();
  await expect(page).toHaveURL(/\/\?submitted=1$/);
  await page.getByRole("button", { name: /^(sign out|выйти)$/i }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // Manager: the request is listed with who sent it and the note, before anything is merged.
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/orders");
  const requests = page.getByTestId("open-requests").getByRole("listitem").filter({ hasText: note });
  await expect(requests).toHaveCount(1);
  await expect(requests).toContainText(/Sasha Staff/);
  // Untick every other waiting request: only this one is merged.
  const boxes = page.getByTestId("open-requests").getByRole("checkbox");
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    const mine = (await page.getByTestId("open-requests").getByRole("listitem").nth(i).textContent())?.includes(note);
    if (!mine) await box.uncheck();
  }
  // Ticked alone: "from 1 selected request"; the only one waiting: all of them.
  await page.getByRole("button", { name: /^(Create orders from (1 selected request|requests)|Создать заказы из (1 выбранной заявки|заявок))$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: /(lines? placed|размещен\S* \d+ позици)/i })).toBeVisible();
  await expect(page.getByTestId("open-requests").getByText(note)).toHaveCount(0);

  // The order the line went to carries the note, with its author and department.
  const drafts = page.getByRole("region", { name: /^(Draft|Черновик)/ }).getByRole("link");
  const hrefs = await drafts.evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
  let found = false;
  for (const href of hrefs) {
    await page.goto(href);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const notes = page.getByTestId("request-notes");
    if ((await notes.count()) > 0 && (await notes.textContent())?.includes(note)) {
      await expect(notes).toContainText(/Sasha Staff/);
      found = true;
      break;
    }
  }
  expect(found, "an order shows the staff member's note").toBe(true);
});
