import { PosterSettings } from "@/ui/settings/poster-settings";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function SettingsPage() {
  prefetch(trpc.poster.status.queryOptions());
  return (
    <HydrateClient>
      <PosterSettings />
    </HydrateClient>
  );
}
