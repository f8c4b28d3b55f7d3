import { registerBackupHandler, registerExportHandler } from "./backup-handler";
import { registerBuiltinHandlers } from "./handlers";
import { registerSupplyHandler } from "./supply-handler";
import { registerSyncHandlers } from "./sync-handlers";

let registered = false;

/** Registers every production handler once per module instance (the route, the runner and scripts call it). */
export function ensureJobHandlers(): void {
  if (registered) return;
  registerBuiltinHandlers();
  registerSyncHandlers();
  registerSupplyHandler();
  registerBackupHandler();
  registerExportHandler();
  registered = true;
}
