import { cleanFilters, listInput } from "@/ui/history/filters";
import { HistoryScreen } from "@/ui/history/history-screen";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filters = cleanFilters(await searchParams);
  prefetch(trpc.restaurant.current.queryOptions());
  void getQueryClient().prefetchInfiniteQuery(trpc.history.list.infiniteQueryOptions(listInput(filters), { getNextPageParam: (page) => page.nextCursor }));
  return (
    <HydrateClient>
      <HistoryScreen initialFilters={filters} />
    </HydrateClient>
  );
}
