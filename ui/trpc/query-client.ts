import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30 * 1000, retry: (count, err) => count < 2 && !isClientError(err) },
      dehydrate: {
        serializeData: superjson.serialize,
        // Only finished, successful prefetches go to the browser: a pending one that later fails (for example a
        // page rendered in parallel with its layout's sign-in redirect) must not surface as a server error.
        shouldDehydrateQuery: defaultShouldDehydrateQuery,
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

/** 4xx answers (forbidden, bad input) do not get better by retrying. */
function isClientError(err: unknown): boolean {
  const code = (err as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return typeof code === "number" && code >= 400 && code < 500;
}
