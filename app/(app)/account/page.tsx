import { AccountScreen } from "@/ui/account/account-screen";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function AccountPage() {
  prefetch(trpc.account.me.queryOptions());
  prefetch(trpc.account.devices.queryOptions());
  return (
    <HydrateClient>
      <AccountScreen />
    </HydrateClient>
  );
}
