// Tests never read a developer's .env; each suite configures what it needs explicitly.
process.env.LOG_LEVEL ??= "silent";
// "server-only" throws outside a React Server environment; tests import server modules directly.
import { vi } from "vitest";
vi.mock("server-only", () => ({}));
