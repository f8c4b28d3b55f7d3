import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getCurrentUser } from "@/server/auth/session";
import { Checklist } from "@/ui/checklist/checklist";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function DepartmentPage({ params }: { params: Promise<{ departmentId: string }> }) {
  const { departmentId } = await params;
  if (!z.uuid().safeParse(departmentId).success) notFound();
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  await Promise.all([prefetch(trpc.checklist.department.queryOptions({ departmentId })), prefetch(trpc.restaurant.current.queryOptions())]);
  return (
    <HydrateClient>
      {/* Keyed by department: the offline queue and typed text belong to one department. */}
      <Checklist key={departmentId} departmentId={departmentId} userId={user.id} />
    </HydrateClient>
  );
}
