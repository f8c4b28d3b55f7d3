import { redirect } from "next/navigation";
import { getCurrentUser } from "@/server/auth/session";
import { SignInForm } from "@/ui/auth/sign-in-form";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reset?: string }> }) {
  if (await getCurrentUser()) redirect("/");
  const { reset } = await searchParams;
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center p-4">
      <SignInForm passwordChanged={reset === "1"} />
    </main>
  );
}
