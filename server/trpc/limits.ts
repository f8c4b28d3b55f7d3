/**
 * The most calls one HTTP request may batch: each runs its own transaction, so an unbounded batch is a cheap way
 * to make the server do a lot (600 in one request ran 600 transactions). The route refuses more with a 400 before
 * running any; the browser's batch link splits at the same number, so the app never hits it.
 */
export const MAX_BATCH_SIZE = 20;
