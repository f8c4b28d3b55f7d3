// Tests never read a developer's .env; each suite configures what it needs explicitly.
process.env.LOG_LEVEL ??= "silent";
// "server-only" throws outside a React Server environment; tests import server modules directly.
import { vi } from "vitest";
vi.mock("server-only", () => ({}));
// The embedded Poster simulator, as server/startup.ts installs it in development (transport never imports it).
import { installEmbeddedSimulator } from "@/simulator/install";
installEmbeddedSimulator();
