/**
 * The e2e server runs `next start` (production mode), which requires real encryption keys. This fixed test key
 * seals the demo Poster tokens both when scripts/test.ts seeds E2E_DATABASE_URL and in the server; it protects
 * nothing and must never be used outside tests.
 */
export const E2E_TOKEN_ENCRYPTION_KEYS = process.env.E2E_TOKEN_ENCRYPTION_KEYS ?? "e2e:ZTJlLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24tMDAwMDA=";
