"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import { signOutAction } from "@/server/http/actions/sign-out";
import { signInAction } from "@/server/http/actions/sign-in";
import { useTRPC } from "@/ui/trpc/react";
import { ErrorBox } from "@/ui/kit/error-box";
import { useErrorText } from "@/ui/errors/describe";
import type { Role } from "@/vocabulary/constants";

export interface InvitePreview {
  restaurantName: string;
  role: Role;
  /** "email": bound to `email`, opened from the e-mail; "link": shareable, the invitee proves their own address. */
  kind: "email" | "link";
  email: string | null;
  status: "pending" | "accepted" | "revoked" | "expired";
  expiresAt: string;
}

const card = "flex flex-col gap-4 rounded-2xl bg-white p-6 shadow-sm";

/**
 * Shows where the link leads; a signed-in person joins. A new person registers from an e-mailed invitation; on a
 * shareable link they first give their address and continue from the e-mail sent there. All land on the dashboard.
 */
export function InviteScreen(props: { token: string; preview: InvitePreview | null; user: { email: string } | null }) {
  const t = useTranslations("invite");
  const tRoles = useTranslations("roles");
  const { preview, user } = props;

  if (!preview || preview.status !== "pending") {
    const message = !preview ? t("invalid") : t(preview.status === "pending" ? "invalid" : preview.status);
    return (
      <section className={card}>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p role="alert" className="rounded-lg bg-amber-50 p-3 text-amber-900">
          {message}
        </p>
        <Link href={user ? "/" : "/sign-in"} className="flex h-12 items-center justify-center rounded-lg bg-slate-100 font-medium">
          {user ? t("toHome") : t("toSignIn")}
        </Link>
      </section>
    );
  }

  return (
    <section className={card}>
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="text-lg" data-testid="invite-summary">
        {t("joinAs", { restaurant: preview.restaurantName, role: tRoles(preview.role) })}
      </p>
      {user ? (
        <JoinAsUser token={props.token} email={user.email} restaurant={preview.restaurantName} />
      ) : preview.kind === "email" && preview.email ? (
        <RegisterForm token={props.token} email={preview.email} />
      ) : (
        <ClaimForm token={props.token} />
      )}
    </section>
  );
}

function JoinAsUser(props: { token: string; email: string; restaurant: string }) {
  const t = useTranslations("invite");
  const describe = useErrorText();
  const trpc = useTRPC();
  // The procedure sets the active restaurant; a full load starts the app in it.
  const accept = useMutation(trpc.invitation.accept.mutationOptions({ onSuccess: () => window.location.assign("/") }));
  return (
    <>
      <p className="text-sm text-slate-600">{t("signedInAs", { email: props.email })}</p>
      {accept.isError && (
        <ErrorBox>
          {t("error", { message: describe(accept.error) })}
        </ErrorBox>
      )}
      <button
        type="button"
        disabled={accept.isPending || accept.isSuccess}
        onClick={() => accept.mutate({ token: props.token })}
        className="h-12 rounded-lg bg-emerald-600 text-base font-semibold text-white disabled:opacity-60"
      >
        {accept.isPending ? t("joining") : t("join", { restaurant: props.restaurant })}
      </button>
      <form action={signOutAction}>
        <button type="submit" className="h-11 w-full rounded-lg text-sm font-medium text-slate-700">
          {t("notYou")}
        </button>
      </form>
    </>
  );
}

/** A shareable link: the invitee's own address gets an e-mailed invitation (the answer is the same for any address). */
function ClaimForm(props: { token: string }) {
  const t = useTranslations("invite");
  const describe = useErrorText();
  const trpc = useTRPC();
  const emailId = useId();
  const claim = useMutation(trpc.invitation.claim.mutationOptions());

  if (claim.isSuccess) {
    return (
      <>
        <p role="status" className="rounded-lg bg-emerald-50 p-3 text-emerald-900">
          {t("claimSent", { email: claim.data.sentTo })}
        </p>
        <button type="button" onClick={() => claim.reset()} className="h-11 w-full rounded-lg text-sm font-medium text-slate-700">
          {t("claimAgain")}
        </button>
      </>
    );
  }
  return (
    <form
      aria-label={t("claimTitle")}
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        claim.mutate({ token: props.token, email: String(new FormData(e.currentTarget).get("email") ?? "").trim() });
      }}
    >
      <h2 className="text-lg font-semibold">{t("claimTitle")}</h2>
      <p className="text-sm text-slate-600">{t("claimIntro")}</p>
      <div className="flex flex-col gap-1">
        <label htmlFor={emailId} className="text-sm font-medium">
          {t("email")}
        </label>
        <input id={emailId} name="email" type="email" autoComplete="email" required maxLength={254} className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </div>
      {claim.isError && (
        <ErrorBox>
          {t("error", { message: describe(claim.error) })}
        </ErrorBox>
      )}
      <button type="submit" disabled={claim.isPending} className="h-12 rounded-lg bg-emerald-600 text-base font-semibold text-white disabled:opacity-60">
        {claim.isPending ? t("claimSubmitting") : t("claimSubmit")}
      </button>
      <p className="text-sm text-slate-600">{t("haveAccount")}</p>
    </form>
  );
}

function RegisterForm(props: { token: string; email: string }) {
  const t = useTranslations("invite");
  const describe = useErrorText();
  const trpc = useTRPC();
  const ids = { name: useId(), email: useId(), password: useId(), hint: useId() };
  const [signInFailed, setSignInFailed] = useState(false);
  const [signingIn, startSignIn] = useTransition();
  const register = useMutation(trpc.invitation.register.mutationOptions());

  const submit = (form: FormData) => {
    const password = String(form.get("password") ?? "");
    register.mutate(
      {
        token: props.token,
        name: String(form.get("name") ?? ""),
        password,
      },
      {
        // The account exists now: sign in with it (the sign-in action redirects to the dashboard).
        onSuccess: (joined) =>
          startSignIn(async () => {
            const credentials = new FormData();
            credentials.set("email", joined.email);
            credentials.set("password", password);
            const result = await signInAction({ error: null }, credentials);
            if (result.error) setSignInFailed(true);
          }),
      },
    );
  };
  const busy = register.isPending || signingIn || (register.isSuccess && !signInFailed);

  return (
    <form
      aria-label={t("register")}
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        submit(new FormData(e.currentTarget));
      }}
    >
      <h2 className="text-lg font-semibold">{t("register")}</h2>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.name} className="text-sm font-medium">
          {t("name")}
        </label>
        <input id={ids.name} name="name" autoComplete="name" required maxLength={100} className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.email} className="text-sm font-medium">
          {t("email")}
        </label>
        <input
          id={ids.email}
          name="email"
          type="email"
          autoComplete="username"
          required
          maxLength={254}
          readOnly
          defaultValue={props.email}
          className="h-12 rounded-lg border border-slate-300 px-3 text-base read-only:bg-slate-50"
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.password} className="text-sm font-medium">
          {t("password")}
        </label>
        <input
          id={ids.password}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={256}
          aria-describedby={ids.hint}
          className="h-12 rounded-lg border border-slate-300 px-3 text-base"
        />
        <p id={ids.hint} className="text-sm text-slate-600">
          {t("passwordHint")}
        </p>
      </div>
      {register.isError && (
        <ErrorBox>
          {t("error", { message: describe(register.error) })}
        </ErrorBox>
      )}
      {signInFailed && (
        <p role="alert" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
          {t("signInFailed")}{" "}
          <Link href="/sign-in" className="font-medium underline">
            {t("toSignIn")}
          </Link>
        </p>
      )}
      <button type="submit" disabled={busy} className="h-12 rounded-lg bg-emerald-600 text-base font-semibold text-white disabled:opacity-60">
        {busy ? t("submitting") : t("submit")}
      </button>
      <p className="text-sm text-slate-600">{t("haveAccount")}</p>
    </form>
  );
}
