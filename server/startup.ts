import { env } from "@/server/env";

/**
 * Runs once when the server process starts. On the embedded defaults it opens (migrates, seeds) PGlite up front
 * and prints the demo logins, so `npm run dev` on a bare machine shows how to get in.
 */
export async function onServerStart(): Promise<void> {
  if (env().DATABASE_URL) return;
  const { getDatabase } = await import("@/db/client");
  await getDatabase();
  const { DEMO_PASSWORD, DEMO_USERS } = await import("@/db/demo");
  const lines = [
    "",
    "  Restaurant Checklist is running on embedded defaults (PGlite, in-memory cache, in-process jobs, Poster simulator).",
    `  Demo logins (password: ${DEMO_PASSWORD}):`,
    `    owner    ${DEMO_USERS.owner}   (two restaurants: switch between them)`,
    `    manager  ${DEMO_USERS.manager}`,
    `    staff    ${DEMO_USERS.staff}`,
    `    admin    ${DEMO_USERS.admin}   (platform admin)`,
    "",
  ];
  console.log(lines.join("\n"));
}
