/**
 * The e2e server runs `next start` (production mode), which requires real encryption keys. This fixed test key
 * seals the demo Poster tokens both when scripts/test.ts seeds E2E_DATABASE_URL and in the server; it protects
 * nothing and must never be used outside tests.
 */
export const E2E_TOKEN_ENCRYPTION_KEYS = process.env.E2E_TOKEN_ENCRYPTION_KEYS ?? "e2e:ZTJlLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24tMDAwMDA=";

/** Seals the e2e server's backups and exports; a test key like the one above. */
export const E2E_BACKUP_ENCRYPTION_KEYS = "e2e-backup:ZTJlLWJhY2t1cC1rZXktbm90LWZvci1wcm9kdWN0aW8=";

/**
 * The e2e server runs the demo: the embedded Poster simulator switched on explicitly (production refuses to start
 * without POSTER_API_URL or this switch), with its own application and a control API secret the specs send.
 * Test values only; the secret scan checks that none of them reaches the server's log.
 */
export const E2E_SIM_CONTROL_SECRET = "e2e-simulator-control-secret-0001";
export const E2E_POSTER_APPLICATION = { id: "e2e-app", secret: "e2e-app-secret-not-for-production-42" } as const;
export const E2E_DEMO_ENV = {
  POSTER_SIMULATOR: "embedded",
  POSTER_APPLICATION_ID: E2E_POSTER_APPLICATION.id,
  POSTER_APPLICATION_SECRET: E2E_POSTER_APPLICATION.secret,
  POSTER_SIM_CONTROL_SECRET: E2E_SIM_CONTROL_SECRET,
} as const;
/** Headers for the simulator's control API (/api/poster-sim/sim/*). */
export const SIM_CONTROL_HEADERS = { authorization: `Bearer ${E2E_SIM_CONTROL_SECRET}` } as const;
