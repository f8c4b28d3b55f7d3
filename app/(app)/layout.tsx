import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/server/auth/session";
import { reasonOf } from "@/server/trpc/errors";
import { ConnectionBanner } from "@/ui/connection-banner";
import { MainNav } from "@/ui/nav";
import { RestaurantSwitcher } from "@/ui/dashboard/restaurant-switcher";
import { AccessGate } from "@/ui/errors/access-gate";
import { getQueryClient, HydrateClient, trpc } from "@/ui/trpc/server";
import { signOutAction } from "@/server/http/actions/sign-out";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const t = await getTranslations();
  const mine = await getQueryClient()
    .fetchQuery(trpc.restaurant.mine.queryOptions())
    .catch(() => null);
  // A member of no restaurant (a platform admin, someone whose access was removed): the screens would only be
  // refused, so none of them is rendered; the gate says what happened and where to go.
  const member = mine === null || mine.length > 0;
  // Why (no restaurant at all, or their access to one was removed), as the tenant procedures say it.
  const refusal = member ? null : await getQueryClient().fetchQuery(trpc.restaurant.current.queryOptions()).then(() => null, reasonOf);
  return (
    <HydrateClient>
      <header className="sticky top-0 z-10 flex items-center gap-3 border-b border-slate-200 bg-white px-4 py-2">
        <span className="hidden font-semibold sm:inline">{t("app.name")}</span>
        {member && <RestaurantSwitcher />}
        <Link href="/account" className="ml-auto flex h-11 items-center rounded-lg px-3 text-sm font-medium text-slate-700 hover:bg-slate-100">
          {t("nav.account")}
        </Link>
        <form action={signOutAction}>
          <button type="submit" className="h-11 rounded-lg px-3 text-sm font-medium text-slate-700 hover:bg-slate-100">
            {t("nav.signOut")}
          </button>
        </form>
      </header>
      {member && <MainNav />}
      {member && <ConnectionBanner />}
      <main className="mx-auto max-w-3xl p-4">
        <AccessGate isPlatformAdmin={user.isPlatformAdmin} refusal={member ? null : (refusal ?? { reason: "no_restaurant", details: null })}>
          {children}
        </AccessGate>
      </main>
    </HydrateClient>
  );
}
