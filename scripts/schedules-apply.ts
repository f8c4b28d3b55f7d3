import { env } from "@/server/env";
import { qstashClient } from "@/server/jobs/qstash";
import { SCHEDULES } from "@/server/jobs/schedules";
import { applySchedules } from "@/server/jobs/schedules-apply";

// Pushes the schedules defined in server/jobs/schedules.ts to QStash (idempotent). Needs QSTASH_TOKEN and APP_URL.
if (!env().QSTASH_TOKEN) {
  console.error("QSTASH_TOKEN is not set: without QStash the in-process runner reads the schedules itself.");
  process.exit(1);
}
const { applied, removed } = await applySchedules(qstashClient());
for (const s of SCHEDULES) console.log(`  rc-${s.id}  ${s.cron}  → ${env().APP_URL}/api/jobs/${s.kind.replace(/\./g, "-")}  (${s.description})`);
console.log(`Applied ${applied.length} schedule(s)${removed.length ? `, removed ${removed.join(", ")}` : ""}.`);
