import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobs, restaurants } from "@/db/schema";
import { jobView } from "@/server/jobs/sync-now";

/** One job of any restaurant (or of the platform) for the console: its state, and whose it is. Platform scope. */
export async function adminJob(tx: Tx, jobId: string) {
  const [job] = await tx
    .select({ ...jobView, restaurantId: jobs.restaurantId, restaurantName: restaurants.name })
    .from(jobs)
    .leftJoin(restaurants, eq(restaurants.id, jobs.restaurantId))
    .where(eq(jobs.id, jobId));
  return job ?? null;
}
