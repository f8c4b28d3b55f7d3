"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";
import { clearAccessProblem, useAccessProblem } from "./access-problem";
import type { ErrorDetails, ErrorReason } from "@/server/errors";
import { useErrorText, type ErrorInfo } from "./describe";

const RESTAURANT_FREE = ["/account"];

/**
 * Signed out, access removed, no restaurant: instead of each box on the screen failing with "could not load",
 * the screen says what happened and where to go (sign in; another of the user's restaurants; the admin console).
 */
export function AccessGate({
  children,
  isPlatformAdmin,
  refusal = null,
}: {
  children: React.ReactNode;
  isPlatformAdmin: boolean;
  /** Known on the server: the user belongs to no restaurant (and why), so no screen is rendered only to be refused. */
  refusal?: { reason: ErrorReason; details: ErrorDetails | null } | null;
}) {
  const reported = useAccessProblem();
  const pathname = usePathname();
  // The account page needs no restaurant (language, password, sessions): only being signed out stops it.
  const restaurantFree = RESTAURANT_FREE.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const problem: ErrorInfo | null = restaurantFree
    ? reported?.status === 401
      ? reported
      : null
    : (reported ?? (refusal ? { status: 403, ...refusal, message: "", invalidInput: false } : null));
  if (!problem) return children;
  return <AccessNotice signedOut={problem.status === 401} text={problem} isPlatformAdmin={isPlatformAdmin} />;
}

function AccessNotice({ signedOut, text, isPlatformAdmin }: { signedOut: boolean; text: Parameters<ReturnType<typeof useErrorText>>[0]; isPlatformAdmin: boolean }) {
  const t = useTranslations("errors");
  const describe = useErrorText();
  return (
    <section role="alert" data-testid="access-problem" className="flex flex-col gap-3 rounded-2xl bg-amber-50 p-4 text-amber-950">
      <p className="text-base font-medium">{describe(text)}</p>
      {signedOut ? (
        // A full page load: the server drops the ended session and shows the sign-in form.
        <a href="/sign-in" className="flex h-12 items-center justify-center rounded-lg bg-emerald-600 px-4 font-semibold text-white">
          {t("signIn")}
        </a>
      ) : (
        <OtherRestaurants isPlatformAdmin={isPlatformAdmin} />
      )}
    </section>
  );
}

/** The restaurants the user still belongs to (one tap to switch), and the admin console for platform admins. */
function OtherRestaurants({ isPlatformAdmin }: { isPlatformAdmin: boolean }) {
  const t = useTranslations("errors");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery({ ...trpc.restaurant.mine.queryOptions(), retry: false });
  const switchTo = useMutation(
    trpc.restaurant.switch.mutationOptions({
      onSuccess: async () => {
        clearAccessProblem();
        await queryClient.invalidateQueries();
      },
    }),
  );
  const restaurants = mine.data ?? [];
  return (
    <div className="flex flex-col gap-2">
      {restaurants.length > 0 ? <p className="text-sm">{t("chooseRestaurant")}</p> : null}
      {restaurants.map((r) => (
        <button key={r.id} type="button" disabled={switchTo.isPending} onClick={() => switchTo.mutate({ restaurantId: r.id })} className="h-12 rounded-lg bg-white px-4 text-left font-medium">
          {t("switchTo", { name: r.name })}
        </button>
      ))}
      {isPlatformAdmin ? (
        <Link href="/admin" className="flex h-12 items-center justify-center rounded-lg border border-slate-300 bg-white px-4 font-medium">
          {t("toAdmin")}
        </Link>
      ) : null}
    </div>
  );
}
