export { assignSupplier, listUnsorted, mergeRequests, openRequestsSummary, type MergeResult } from "./aggregate";
export type { PurchasingActor, PurchasingRestaurant } from "./common";
export { buildOrderMessage, formatDeliveryDate, formatQuantity, localizedUnit, telegramUrl, whatsappUrl, type OrderMessage, type OrderMessageInput } from "./message";
export { cancelOrder, composeMessage, countOrdersByStatus, getOrder, listOrders, removeLine, updateLine, updateOrder, type ListOrdersInput } from "./orders";
export { enqueuePostings, resumePostings, retryPosting } from "./postings";
export { postingKey, receiveOrder, type MissingChoice, type ReceiveInput, type ReceiveResult } from "./receive";
export { sendOrder } from "./send";
export { assertTransition, canTransition, type OrderStatus } from "./status";
export { postSupply, supplyMarker, SupplyPostingBusyError, SupplyPostingInvalidError, type PostSupplyDeps, type PostSupplyResult } from "./supply-posting";
