import { getCurrentUser } from "@/server/auth/session";
import { simulatorEnabled } from "@/server/env";
import { EMBEDDED_SIM_BASE_PATH, getEmbeddedSimulator, SimulatedDropError } from "@/simulator";
import { withRouteMetrics } from "@/server/observability/route-metrics";

const notFound = () => new Response("Not found", { status: 404 });

/**
 * The embedded Poster simulator, reachable by the browser for the OAuth redirect (and by dev tools and e2e tests
 * for its control API). Mounted only when it is enabled: never with POSTER_API_URL set, and in production only
 * with POSTER_SIMULATOR=embedded (for demos). Otherwise every path answers 404, as if the route did not exist.
 */
async function handle(request: Request): Promise<Response> {
  if (!simulatorEnabled()) return notFound();
  // The control API: its secret (checked by the simulator) or a signed-in platform admin.
  const control = new URL(request.url).pathname.startsWith(`${EMBEDDED_SIM_BASE_PATH}/sim`);
  const controlAuthorized = control && (await getCurrentUser())?.isPlatformAdmin === true;
  try {
    return await getEmbeddedSimulator().handle(request, { controlAuthorized });
  } catch (err) {
    // A simulated dropped connection: the closest an HTTP route can get is a bad gateway.
    if (err instanceof SimulatedDropError) return new Response("Connection dropped (simulated)", { status: 502 });
    throw err;
  }
}

export const dynamic = "force-dynamic";
const measured = withRouteMetrics("/api/poster-sim", handle);
export { measured as GET, measured as POST, measured as PUT, measured as PATCH, measured as DELETE };
