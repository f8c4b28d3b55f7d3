import { posterVerify } from "@/server/poster/webhook-signature";

/** The JSON body Poster POSTs to an application's webhook URL. */
export interface PosterWebhookBody {
  account: string;
  account_number: string;
  object: string;
  object_id: number;
  action: string;
  time: string;
  verify: string;
  /** A JSON string; a hook without data omits it unless the dispatcher's `emptyData` says otherwise. */
  data?: string | null;
}

/** How a hook without data carries it: left out (what Poster most likely does), `""` or `null`. */
export type WebhookEmptyData = "omit" | "empty" | "null";

export interface WebhookRetryOptions {
  /** Further attempts after the first (Poster: 15 over two days). */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  factor: number;
}

export interface WebhookDelivery {
  body: PosterWebhookBody;
  attempts: number;
  /** HTTP statuses (or "network") of every attempt, in order. */
  results: Array<number | "network">;
  state: "pending" | "delivered" | "failed";
}

export interface WebhookEvent {
  account: string;
  accountNumber: string;
  object: string;
  objectId: number;
  action: string;
  data?: Record<string, unknown>;
}

/** A target that is not an http(s) URL ("off", a typo) would be retried for hours: refuse it up front. */
function checkedUrl(url: string | null): string | null {
  if (url === null) return null;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) throw new TypeError(`Webhook URL must be an http(s) URL or null, got ${JSON.stringify(url.slice(0, 100))}`);
  return url;
}

/** Unref'd: a hook waiting for its next retry must not keep a process (or a test run) alive. */
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Sends signed webhooks with Poster's semantics: one FIFO queue per account, a hook blocks the
 * ones behind it until it is accepted with HTTP 200 or its retries run out.
 */
export class WebhookDispatcher {
  private url: string | null;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly log: WebhookDelivery[] = [];
  private closed = false;

  constructor(
    url: string | null,
    private readonly secret: () => string,
    private readonly retry: WebhookRetryOptions,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
    private readonly now: () => number = Date.now,
    private readonly emptyData: WebhookEmptyData = "omit",
  ) {
    this.url = checkedUrl(url);
  }

  setUrl(url: string | null): void { this.url = checkedUrl(url); }
  getUrl(): string | null { return this.url; }
  deliveries(): readonly WebhookDelivery[] { return this.log; }
  clearLog(): void { this.log.length = 0; }

  /** Resolves when every queued hook has been delivered or given up on. */
  async idle(): Promise<void> {
    while (true) {
      const pending = [...this.queues.values()];
      if (pending.length === 0) return;
      await Promise.all(pending);
      if ([...this.queues.values()].every((p) => pending.includes(p))) return;
    }
  }

  close(): void { this.closed = true; }

  emit(event: WebhookEvent): WebhookDelivery | null {
    const url = this.url;
    if (!url || this.closed) return null;
    const body = this.sign(event);
    const delivery: WebhookDelivery = { body, attempts: 0, results: [], state: "pending" };
    this.log.push(delivery);
    const prev = this.queues.get(event.accountNumber) ?? Promise.resolve();
    const next = prev.then(() => this.deliver(url, delivery));
    this.queues.set(event.accountNumber, next);
    void next.finally(() => {
      if (this.queues.get(event.accountNumber) === next) this.queues.delete(event.accountNumber);
    });
    return delivery;
  }

  sign(event: WebhookEvent): PosterWebhookBody {
    const unsigned = {
      account: event.account,
      account_number: event.accountNumber,
      object: event.object,
      object_id: event.objectId,
      action: event.action,
      time: String(Math.floor(this.now() / 1000)),
      ...(event.data ? { data: JSON.stringify(event.data) } : this.emptyData === "omit" ? {} : { data: this.emptyData === "empty" ? "" : null }),
    };
    return { ...unsigned, verify: posterVerify(unsigned, this.secret()) };
  }

  private async deliver(url: string, d: WebhookDelivery): Promise<void> {
    for (let attempt = 0; attempt <= this.retry.retries && !this.closed; attempt++) {
      if (attempt > 0) {
        const delay = Math.min(this.retry.maxDelayMs, this.retry.minDelayMs * this.retry.factor ** (attempt - 1));
        await sleep(delay);
      }
      d.attempts++;
      try {
        const res = await this.fetchImpl(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(d.body),
          signal: AbortSignal.timeout(10_000),
        });
        d.results.push(res.status);
        await res.body?.cancel().catch(() => undefined);
        if (res.status === 200) {
          d.state = "delivered";
          return;
        }
      } catch {
        d.results.push("network");
      }
    }
    d.state = "failed";
  }
}
