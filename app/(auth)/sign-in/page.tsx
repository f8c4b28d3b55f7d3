import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { withPlatform } from "@/db/scope";
import { getCurrentUser } from "@/server/auth/session";
import { landingPathFor } from "@/server/tenancy/restaurants";
import { SignInForm } from "@/ui/auth/sign-in-form";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reset?: string; connected?: string }> }) {
  const user = await getCurrentUser();
  // Already signed in: where signing in would have led (a platform admin without a restaurant: the console).
  if (user) redirect(await withPlatform("auth", (tx) => landingPathFor(tx, user.email)));
  const { reset, connected } = await searchParams;
  const t = await getTranslations("settings");
  const tSignIn = await getTranslations("signIn");
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center p-4">
      {connected === "setup" || connected === "notice" ? (
        <p role="status" data-testid="poster-connected" className="mb-4 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-800">
          {tSignIn(connected === "setup" ? "connectedSetup" : "connectedNotice")}
        </p>
      ) : null}
      <SignInForm passwordChanged={reset === "1"} />
      <div className="mt-8 flex flex-col gap-2 border-t border-slate-200 pt-6 text-center">
        <p className="text-sm text-slate-600">{t("signInLead")}</p>
        {/* A plain link: the route answers with a redirect to Poster. */}
        <a href="/api/poster/connect" className="flex h-12 items-center justify-center rounded-lg border border-emerald-600 font-medium text-emerald-700">
          {t("connect")}
        </a>
      </div>
    </main>
  );
}
