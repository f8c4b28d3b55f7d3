import { desc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobs } from "@/db/schema";
import { jobView } from "./sync-now";

/** One job of the active restaurant (row-level security hides every other restaurant's and platform jobs). */
export async function tenantJob(tx: Tx, jobId: string) {
  const [job] = await tx.select(jobView).from(jobs).where(eq(jobs.id, jobId));
  return job ?? null;
}

/** The restaurant's latest jobs, newest first. */
export function recentTenantJobs(tx: Tx, limit = 20) {
  return tx.select(jobView).from(jobs).orderBy(desc(jobs.createdAt)).limit(limit);
}
