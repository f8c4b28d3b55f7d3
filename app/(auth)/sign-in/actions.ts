"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/server/auth/next-auth";

export type SignInState = { error: "invalid" | "rateLimited" | null; retryAfterSeconds?: number };

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  try {
    await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirectTo: "/" });
    return { error: null };
  } catch (err) {
    // signIn redirects by throwing; only auth failures are ours to answer.
    if (err instanceof AuthError) return { error: "invalid" };
    throw err;
  }
}
