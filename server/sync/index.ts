export { runFullSync, runTargetedSync, SyncFailedError, targetScope, type SyncOptions } from "./run";
export { applySnapshot } from "./apply";
export { applyAccountSettings, localeFromPosterLang, restaurantSettingsFrom, type RestaurantSettings } from "./settings";
export { MAX_SKIP_REASONS, SyncSkips } from "./skips";
export type { EntityCounts, SettingsChanges, SettingsField, SyncCounts, SyncEntity, SyncProgress, SyncRunResult, SyncSnapshot, SyncTarget, SyncTrigger } from "./types";
