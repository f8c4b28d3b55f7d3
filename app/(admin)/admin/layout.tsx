import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/server/auth/session";
import { AccessGate } from "@/ui/errors/access-gate";

/** Platform admins only; to anyone else the area does not exist. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  if (!user.isPlatformAdmin) notFound();
  const t = await getTranslations("admin");
  return (
    <>
      <header className="sticky top-0 z-10 flex items-center gap-3 border-b border-slate-200 bg-slate-900 px-4 py-2 text-white">
        <Link href="/admin" className="font-semibold">
          {t("title")}
        </Link>
        <Link href="/" className="ml-auto text-sm text-slate-300">
          {t("backToApp")}
        </Link>
      </header>
      <main className="mx-auto max-w-5xl p-4">
        <AccessGate isPlatformAdmin>{children}</AccessGate>
      </main>
    </>
  );
}
