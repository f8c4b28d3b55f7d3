export { createPosterSimulator, type PosterSimulator, type PosterSimulatorOptions, type CreateSimAccountInput } from "./simulator";
export { startPosterSimulatorServer, type PosterSimulatorServer } from "./node-server";
export { getEmbeddedSimulator, resetEmbeddedSimulator, EMBEDDED_SIM_BASE_PATH } from "./embedded";
export { DEMO_ACCOUNTS, DEFAULT_SIM_APPLICATION } from "./demo";
export { SimulatedDropError } from "./http";
export { SimAccount, type SimAccountOptions, type SimAccountInfo, type SimEdit } from "./account";
export { generateAccountData, type SimAccountSize } from "./generate";
export type { PosterWebhookBody, WebhookDelivery, WebhookEmptyData, WebhookRetryOptions } from "./webhooks";
export type { SimFaults, SimRequestLogEntry, SimTokenState, SimQueuedFault } from "./types";
