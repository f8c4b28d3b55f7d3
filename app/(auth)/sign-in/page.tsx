import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/server/auth/session";
import { SignInForm } from "@/ui/auth/sign-in-form";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reset?: string }> }) {
  if (await getCurrentUser()) redirect("/");
  const { reset } = await searchParams;
  const t = await getTranslations("settings");
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center p-4">
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
