import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { isPasswordTokenUsable } from "@/server/accounts/password-reset";
import { ResetPasswordForm } from "@/ui/auth/reset-password-form";

// The token is in the path: never send it to another site as a Referer.
export const metadata: Metadata = { referrer: "no-referrer" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const t = await getTranslations("passwordReset");
  const usable = await isPasswordTokenUsable(token);
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center p-4">
      {usable ? (
        <ResetPasswordForm token={token} />
      ) : (
        <div className="flex flex-col gap-4 rounded-2xl bg-white p-6 shadow-sm">
          <h1 className="text-2xl font-semibold">{t("resetTitle")}</h1>
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-700">
            {t("invalidLink")}
          </p>
          <Link href="/forgot-password" className="flex h-12 items-center justify-center rounded-lg bg-emerald-600 text-base font-semibold text-white">
            {t("requestNew")}
          </Link>
        </div>
      )}
    </main>
  );
}
