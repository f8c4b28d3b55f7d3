import { env } from "@/server/env";
import { getEmbeddedSimulator, SimulatedDropError } from "@/server/poster/simulator";

/**
 * The embedded Poster simulator, reachable by the browser for the OAuth redirect (and by dev tools for its control
 * API). Only mounted when no real Poster is configured: with POSTER_API_URL set this answers 404.
 */
async function handle(request: Request): Promise<Response> {
  if (env().POSTER_API_URL) return new Response("Not found", { status: 404 });
  try {
    return await getEmbeddedSimulator().handle(request);
  } catch (err) {
    // A simulated dropped connection: the closest an HTTP route can get is a bad gateway.
    if (err instanceof SimulatedDropError) return new Response("Connection dropped (simulated)", { status: 502 });
    throw err;
  }
}

export const dynamic = "force-dynamic";
export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
