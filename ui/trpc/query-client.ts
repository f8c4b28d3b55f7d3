import { defaultShouldDehydrateQuery, MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { transformer } from "@/server/trpc/transformer";
import { httpStatusOf } from "./error-status";

/** `onError` sees every failed query and mutation (the browser's client reports access problems there). */
export function makeQueryClient(opts: { onError?: (err: unknown) => void } = {}) {
  const onError = opts.onError;
  return new QueryClient({
    ...(onError ? { queryCache: new QueryCache({ onError }), mutationCache: new MutationCache({ onError }) } : {}),
    defaultOptions: {
      queries: { staleTime: 30 * 1000, retry: (count, err) => count < 2 && !isClientError(err) },
      dehydrate: {
        serializeData: transformer.serialize,
        // Only finished, successful prefetches go to the browser: a pending one that later fails (for example a
        // page rendered in parallel with its layout's sign-in redirect) must not surface as a server error.
        shouldDehydrateQuery: defaultShouldDehydrateQuery,
      },
      hydrate: { deserializeData: transformer.deserialize },
    },
  });
}

/** 4xx answers (signed out, forbidden, bad input) do not get better by retrying, in the browser or on the server. */
export function isClientError(err: unknown): boolean {
  const status = httpStatusOf(err);
  return status !== null && status >= 400 && status < 500;
}
