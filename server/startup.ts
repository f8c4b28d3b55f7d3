import { env, productionConfigProblems, simulatorEnabled } from "@/server/env";

/**
 * Runs once when the server process starts. On the embedded defaults it opens (migrates, seeds) PGlite up front
 * and prints the demo logins, so `npm run dev` on a bare machine shows how to get in. Without QStash it starts
 * the in-process job runner (and with it the schedules).
 */
export async function onServerStart(): Promise<void> {
  // `next build` loads instrumentation too: no database and no job runner while building.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  refuseUnsafeConfig();
  if (simulatorEnabled()) await installSimulator();
  if (!env().DATABASE_URL) await openEmbedded();
  if (!env().QSTASH_TOKEN) await startInProcessJobs();
}

/**
 * A production server with a missing secret, the simulator or the demo database nobody switched on would run
 * open to anyone: it says what is missing and exits instead of serving a single request.
 */
function refuseUnsafeConfig(): void {
  let problems: string[];
  try {
    problems = productionConfigProblems(env());
  } catch (err) {
    problems = [(err as Error).message];
  }
  if (problems.length === 0) return;
  console.error(
    ["", "Restaurant Checklist cannot start in production:", ...problems.map((p) => `  - ${p}`), "See README.md → Configuration.", ""].join("\n"),
  );
  process.exit(1);
}

/** The dev/demo wiring: production code reaches the simulator only through what this installs. */
async function installSimulator(): Promise<void> {
  const { installEmbeddedSimulator } = await import("@/simulator/install");
  installEmbeddedSimulator();
}

async function startInProcessJobs(): Promise<void> {
  const { ensureJobHandlers, fireDueSchedules, startJobRunner } = await import("@/server/jobs");
  ensureJobHandlers();
  startJobRunner({ periodic: () => fireDueSchedules() });
}

async function openEmbedded(): Promise<void> {
  const { getDatabase } = await import("@/db/client");
  await getDatabase();
  const { seedDemoIfEmpty } = await import("@/server/demo/seed");
  await seedDemoIfEmpty();
  const { DEMO_PASSWORD, DEMO_USERS } = await import("@/server/demo/logins");
  const lines = [
    "",
    `  Restaurant Checklist is running on embedded defaults (PGlite, in-memory cache, in-process jobs${simulatorEnabled() ? ", Poster simulator" : ""}).`,
    `  Open ${env().APP_URL} — demo logins (password: ${DEMO_PASSWORD}):`,
    `    owner    ${DEMO_USERS.owner}   (two restaurants: switch between them)`,
    `    manager  ${DEMO_USERS.manager}`,
    `    staff    ${DEMO_USERS.staff}`,
    `    admin    ${DEMO_USERS.admin}   (platform admin)`,
    "",
  ];
  console.log(lines.join("\n"));
}
