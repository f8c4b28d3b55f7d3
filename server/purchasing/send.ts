import type { Tx } from "@/db/client";
import { afterCommit, withTenant } from "@/db/scope";
import { sendMail } from "@/server/mail";
import { redactString } from "@/server/observability/log";
import { assertVersion, lockOrder, type PurchasingActor, type PurchasingRestaurant } from "./common";
import { composeMessage, findSentDuplicates } from "./orders";
import { recordEvent, transitionOrder } from "./status";
import { ConflictError, PreconditionError, ValidationError } from "@/server/errors";
import type { SendChannel } from "@/vocabulary/constants";


/**
 * Records that the order went out by `channel` (draft → sent; a re-send of a sent order is one more event), and
 * for e-mail hands the message to the mailer. Only this order changes: other suppliers' orders are untouched.
 */
export async function sendOrder(tx: Tx, actor: PurchasingActor, restaurant: PurchasingRestaurant, input: { orderId: string; channel: SendChannel; version: number }) {
  const order = await lockOrder(tx, input.orderId);
  // The message goes out as the lines are now: a page showing older lines must reload before sending.
  assertVersion(order, input.version);
  if (order.status !== "draft" && order.status !== "sent") {
    throw new ConflictError("order_cannot_send", `An order that is ${order.status.replace("_", " ")} cannot be sent.`, { status: order.status });
  }
  const message = await composeMessage(tx, restaurant, order.id);
  if (message.lineCount === 0) throw new ValidationError("order_no_lines", "The order has no lines to send.");
  if (input.channel === "email" && !message.email) {
    throw new PreconditionError("supplier_no_email", "This supplier has no e-mail address. Add one to the supplier first.");
  }

  const now = new Date();
  let version = order.version;
  if (order.status === "draft") {
    version = await transitionOrder(tx, {
      orderId: order.id,
      restaurantId: order.restaurantId,
      from: "draft",
      to: "sent",
      userId: actor.userId,
      type: "sent",
      data: { channel: input.channel },
      extra: { sentAt: now, sentBy: actor.userId, sentChannel: input.channel },
    });
  } else {
    await recordEvent(tx, { orderId: order.id, restaurantId: order.restaurantId, userId: actor.userId, type: "resent", data: { channel: input.channel } });
  }

  if (input.channel === "email" && message.email) {
    const to = message.email;
    // The mailer writes through its own transaction: it runs once this one has committed.
    afterCommit(tx, async () => {
      try {
        await sendMail({ to, subject: message.subject, text: message.text });
      } catch (error) {
        await withTenant(order.restaurantId, (t) =>
          recordEvent(t, { orderId: order.id, restaurantId: order.restaurantId, userId: actor.userId, type: "send_failed", data: { channel: "email", error: redactString(error instanceof Error ? error.message : "unknown").slice(0, 300) } }),
        );
        throw error;
      }
    });
  }

  const duplicates = await findSentDuplicates(tx, order);
  return { id: order.id, status: "sent" as const, version, channel: input.channel, text: message.text, whatsappUrl: message.whatsappUrl, telegramUrl: message.telegramUrl, duplicates };
}
