/**
 * Standalone Poster simulator: `npm run poster:sim` (port from POSTER_SIM_PORT, default 4010).
 * Point the app at it with POSTER_API_URL=http://127.0.0.1:<port>: the app then calls each account on its own
 * "host", http://127.0.0.1:<port>/<login> (as Poster's https://<login>.joinposter.com; see server/poster/hosts.ts).
 */
import { randomBytes } from "node:crypto";
import { env, posterApplication } from "@/server/env";
import { simulatorWebhookUrl } from "@/simulator/config";
import { startPosterSimulatorServer } from "@/simulator/node-server";

const { POSTER_SIM_PORT: port } = env();
const { id: appId, secret } = posterApplication();
// Standalone: no webhooks unless asked for ("off" also means none).
const webhookUrl = simulatorWebhookUrl(null);
// The control API rewrites data and tokens: it needs a secret, a fresh one per run unless one is configured.
const controlSecret = env().POSTER_SIM_CONTROL_SECRET ?? randomBytes(18).toString("base64url");
const webhookOrigin = webhookUrl ? new URL(webhookUrl).origin : null;

const sim = await startPosterSimulatorServer({
  port,
  host: process.env.POSTER_SIM_HOST ?? "127.0.0.1",
  application: { id: appId, secret },
  webhooks: { url: webhookUrl },
  control: {
    secret: controlSecret,
    // Webhooks go to the configured app or to this machine, never to another host.
    webhookUrlAllowed: (url) => url.origin === webhookOrigin || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname),
  },
});

const lines = [
  `Poster simulator listening on ${sim.url}`,
  ``,
  `Demo accounts (token goes in ?token=; each on its own host ${sim.url}/<login>, or http://<login>.localhost:${sim.port} in a browser):`,
  ...sim.simulator.accounts().map(
    (a) => `  ${a.login.padEnd(10)} #${a.accountNumber}  ${a.currency} ${a.timezone.padEnd(14)} ${a.counts.storages} storages, ${a.counts.ingredients} ingredients, ${a.counts.suppliers} suppliers\n      token ${a.token}`,
  ),
  ``,
  `OAuth: application_id=${appId} (secret from POSTER_APPLICATION_SECRET)`,
  `  authorize: ${sim.url}/<login>/api/auth?application_id=${appId}&redirect_uri=<uri>&response_type=code`,
  `  exchange:  POST ${sim.url}/<login>/api/v2/auth/access_token`,
  `Webhooks:   ${webhookUrl ?? "off"} (set POSTER_SIM_WEBHOOK_URL or POST ${sim.url}/sim/webhooks {"url": ...})`,
  `Control:    ${sim.url}/sim/accounts  (header Authorization: Bearer ${env().POSTER_SIM_CONTROL_SECRET ? "<POSTER_SIM_CONTROL_SECRET>" : controlSecret})`,
  `Example:    curl '${sim.url}/${sim.simulator.accounts()[0]?.login ?? ""}/api/storage.getStorages?token=${sim.simulator.accounts()[0]?.token ?? ""}'`,
];
console.log(lines.join("\n"));

const stop = () => void sim.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
