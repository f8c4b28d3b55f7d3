import type { Client } from "@upstash/qstash";
import { jobEndpointUrl } from "./qstash";
import { qstashScheduleId, SCHEDULES } from "./schedules";

export interface ApplySchedulesResult {
  applied: string[];
  removed: string[];
}

/**
 * Creates or updates every schedule in QStash under its stable id (creating with an existing id updates it in
 * place, so running this twice changes nothing), and deletes our schedules (`rc-` ids) no longer defined.
 */
export async function applySchedules(client: Client): Promise<ApplySchedulesResult> {
  const applied: string[] = [];
  for (const s of SCHEDULES) {
    const scheduleId = qstashScheduleId(s);
    await client.schedules.create({
      scheduleId,
      destination: jobEndpointUrl(s.kind),
      cron: s.cron,
      body: JSON.stringify({ schedule: s.id }),
      headers: { "content-type": "application/json" },
      retries: 2,
      label: "restaurant-checklist",
    });
    applied.push(scheduleId);
  }
  const removed: string[] = [];
  for (const existing of await client.schedules.list()) {
    if (existing.scheduleId.startsWith("rc-") && !applied.includes(existing.scheduleId)) {
      await client.schedules.delete(existing.scheduleId);
      removed.push(existing.scheduleId);
    }
  }
  return { applied, removed };
}
