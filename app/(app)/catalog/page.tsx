import { CatalogScreen } from "@/ui/catalog/catalog-screen";
import { CATALOG_TABS, type CatalogTab } from "@/ui/catalog/tabs";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function CatalogPage({ searchParams }: { searchParams: Promise<{ tab?: string; department?: string }> }) {
  const params = await searchParams;
  const tab: CatalogTab = (CATALOG_TABS as readonly string[]).includes(params.tab ?? "") ? (params.tab as CatalogTab) : "suppliers";
  prefetch(trpc.restaurant.current.queryOptions());
  if (tab === "suppliers") prefetch(trpc.catalog.suppliers.list.queryOptions({ includeArchived: false }));
  if (tab === "categories") prefetch(trpc.catalog.categories.list.queryOptions());
  return (
    <HydrateClient>
      <CatalogScreen initialTab={tab} initialDepartmentId={params.department ?? null} />
    </HydrateClient>
  );
}
