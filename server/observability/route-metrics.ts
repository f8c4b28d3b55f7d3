import { recordOperation, type OperationOutcome } from "./metrics";

/** Next's redirect()/notFound() throw on purpose: an answer, not a failure. */
const isNavigation = (err: unknown) => {
  const digest = (err as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
};

const outcomeOf = (response: Response): OperationOutcome => (response.status >= 500 ? "error" : response.status >= 400 ? "refused" : "ok");

/**
 * A route handler that records its duration and outcome under `name` ("GET /api/health"): 5xx or a throw is an
 * error, 4xx a refusal. Same signature as the handler it wraps (a synchronous one stays synchronous).
 */
export function withRouteMetrics<H extends (...args: never[]) => Response | Promise<Response>>(name: string, handler: H): H {
  const wrapped = (...args: Parameters<H>): Response | Promise<Response> => {
    const started = performance.now();
    const failed = (err: unknown) => {
      recordOperation("route", name, performance.now() - started, isNavigation(err) ? "ok" : "error");
      throw err;
    };
    let result: Response | Promise<Response>;
    try {
      result = handler(...args);
    } catch (err) {
      return failed(err);
    }
    if (result instanceof Promise) {
      return result.then((response) => {
        recordOperation("route", name, performance.now() - started, outcomeOf(response));
        return response;
      }, failed);
    }
    recordOperation("route", name, performance.now() - started, outcomeOf(result));
    return result;
  };
  return wrapped as H;
}
