import { ForgotPasswordForm } from "@/ui/auth/forgot-password-form";

export default function ForgotPasswordPage() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center p-4">
      <ForgotPasswordForm />
    </main>
  );
}
