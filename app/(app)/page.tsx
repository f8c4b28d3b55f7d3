import { redirect } from "next/navigation";
import { Dashboard } from "@/ui/dashboard/dashboard";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ submitted?: string }> }) {
  const { submitted } = await searchParams;
  const justSubmitted = submitted === "1" || submitted === "again" ? submitted : null;
  const current = await getQueryClient()
    .fetchQuery(trpc.restaurant.current.queryOptions())
    .catch(() => null);
  // A staff member with one department has nothing to choose: straight into it (not right after a submit,
  // which lands here to show its confirmation).
  if (current?.role === "staff" && current.departments.length === 1 && !justSubmitted) {
    redirect(`/departments/${current.departments[0]!.id}`);
  }
  await prefetch(trpc.checklist.dashboard.queryOptions());
  return (
    <HydrateClient>
      <Dashboard submitted={justSubmitted} />
    </HydrateClient>
  );
}
