"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { withPlatform } from "@/db/scope";
import { signIn, SignInRateLimited } from "@/server/auth/next-auth";
import { landingPathFor } from "@/server/tenancy/restaurants";
import { text } from "@/server/validation";

/** `email` is given back so the form keeps it after React resets the fields (never the password). */
export type SignInState = { error: "invalid" | "rateLimited" | null; retryAfterSeconds?: number; email?: string };

// No NUL byte: the e-mail is looked up before the password check (a 500 from Postgres otherwise).
const formSchema = z.object({ email: text(320, { trim: false }), password: text(1024, { trim: false }) });

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = formSchema.safeParse({ email: form.get("email") ?? "", password: form.get("password") ?? "" });
  if (!parsed.success) return { error: "invalid" };
  const email = parsed.data.email;
  try {
    // Only followed after the password was checked; looked up for every attempt alike.
    const redirectTo = await withPlatform("auth", (tx) => landingPathFor(tx, email));
    await signIn("credentials", { ...parsed.data, redirectTo });
    return { error: null };
  } catch (err) {
    // signIn redirects by throwing; only auth failures are ours to answer.
    if (err instanceof SignInRateLimited) return { error: "rateLimited", retryAfterSeconds: err.retryAfterSeconds, email };
    if (err instanceof AuthError) return { error: "invalid", email };
    throw err;
  }
}
