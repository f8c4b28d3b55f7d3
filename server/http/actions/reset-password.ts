"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { PasswordCheck } from "@/server/accounts/password-problems";
import { resetPassword } from "@/server/accounts/password-reset";
import { clientAddress } from "@/server/security/client-address";

export type ResetState = { error: null } | { error: "mismatch" | "invalidToken" } | { error: "weak"; check: PasswordCheck };

export async function resetPasswordAction(_prev: ResetState, form: FormData): Promise<ResetState> {
  const password = String(form.get("password") ?? "");
  if (password !== String(form.get("confirm") ?? "")) return { error: "mismatch" };
  const result = await resetPassword({ token: String(form.get("token") ?? ""), password }, clientAddress(await headers()));
  if (result.ok) redirect("/sign-in?reset=1");
  return result.reason === "weakPassword" ? { error: "weak", check: result.check } : { error: "invalidToken" };
}
