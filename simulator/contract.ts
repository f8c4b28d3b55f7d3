import type { SimAccount, SimAccountInfo, SimAccountOptions, SimEdit } from "./account";
import type { SimFaults, SimRequestLogEntry, SimTokenState } from "./types";
import type { WebhookDelivery, WebhookEmptyData, WebhookRetryOptions } from "./webhooks";

// The simulator's public shape, apart from its implementation: the control API (./control.ts) drives a simulator
// through it without importing ./simulator.ts, which mounts the control API.

export interface PosterSimulatorOptions {
  /** Path prefix the simulator is mounted under, e.g. "/api/poster-sim". Default "". */
  basePath?: string;
  /** Accounts to start with. Default: the two demo accounts. */
  accounts?: SimAccountOptions[];
  application?: { id: string; secret: string };
  /** Redirect URIs the "app settings" allow; null accepts any absolute URL. */
  allowedRedirectUris?: string[] | null;
  /** Login used by /api/auth when the request names no account. Default: the first account. */
  defaultAccount?: string;
  /** `emptyData`: how hooks without data carry it (default: left out). */
  webhooks?: { url?: string | null; retry?: Partial<WebhookRetryOptions>; fetch?: typeof fetch; emptyData?: WebhookEmptyData };
  /** Clock for logs, token expiry and OAuth codes (tests). */
  now?: () => number;
  /**
   * Who may use the control API (`/sim/*`): a request with `Authorization: Bearer <secret>`, or one the host
   * vouches for (handle's `controlAuthorized`). No secret and no vouching: it answers 401. Webhook targets it may
   * set: `webhookUrlAllowed` (default: loopback hosts only).
   */
  control?: { secret?: string | null; webhookUrlAllowed?: (url: URL) => boolean };
}

export interface HandleContext {
  /** The host app checked the caller (e.g. a signed-in platform admin) for the control API. */
  controlAuthorized?: boolean;
}

export interface CreateSimAccountInput extends Partial<Omit<SimAccountOptions, "currency">> {
  currency?: SimAccountOptions["currency"];
}

export interface PosterSimulator {
  readonly basePath: string;
  readonly application: { id: string; secret: string };
  /** Fetch-API handler: mount it in any framework. Throws SimulatedDropError for a dropped connection. */
  handle(request: Request, context?: HandleContext): Promise<Response>;
  /** Drop-in `fetch` that routes to handle() in-process; dropped connections reject like undici. */
  fetch: typeof fetch;
  accounts(): SimAccountInfo[];
  findAccount(loginOrNumber: string): SimAccount | undefined;
  account(loginOrNumber: string): SimAccount;
  createAccount(input?: CreateSimAccountInput): SimAccount;
  setFaults(login: string, patch: Partial<SimFaults>): SimFaults;
  edit(login: string, edit: SimEdit): { id?: number };
  setTokenState(login: string, state: SimTokenState): void;
  /** Expire the token now, or after `inMs`. */
  expireToken(login: string, inMs?: number): void;
  rotateToken(login: string): string;
  installApp(login: string): void;
  uninstallApp(login: string): void;
  requestLog(login: string): readonly SimRequestLogEntry[];
  clearRequestLog(login: string): void;
  webhooks: {
    setUrl(url: string | null): void;
    getUrl(): string | null;
    deliveries(): readonly WebhookDelivery[];
    /** Resolves when all queued hooks are delivered or given up. */
    idle(): Promise<void>;
    /** Poster's "check" button: a hook with action "test". */
    sendTest(login: string): WebhookDelivery | null;
  };
  reset(): void;
  close(): void;
}
