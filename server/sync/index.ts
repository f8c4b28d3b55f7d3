export { runFullSync, runTargetedSync, SyncFailedError, targetScope, type SyncOptions } from "./run";
export { applySnapshot } from "./apply";
export { toQuantity3 } from "./quantity";
export type { EntityCounts, SyncCounts, SyncEntity, SyncProgress, SyncRunResult, SyncSnapshot, SyncTarget, SyncTrigger } from "./types";
