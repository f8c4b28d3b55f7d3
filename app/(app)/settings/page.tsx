import { DataExport } from "@/ui/settings/data-export";
import { PosterSettings } from "@/ui/settings/poster-settings";
import { RequirePermission } from "@/ui/errors/require-permission";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function SettingsPage() {
  prefetch(trpc.restaurant.current.queryOptions());
  prefetch(trpc.poster.status.queryOptions());
  return (
    <HydrateClient>
      <RequirePermission permission="poster.manage">
        <div className="flex flex-col gap-4">
          <PosterSettings />
          <DataExport />
        </div>
      </RequirePermission>
    </HydrateClient>
  );
}
