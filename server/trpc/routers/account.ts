import { withPlatform } from "@/db/scope";
import { z } from "zod";
import { changePassword, changePasswordInput, getAccount, localeInput, setAccountLocale, signOutEverywhere } from "@/server/accounts/account";
import { listSessions, signOutDevice } from "@/server/accounts/sessions";
import { env } from "@/server/env";
import { LOCALE_COOKIE } from "@/i18n/locales";
import { authed, createTRPCRouter } from "../init";
import { UnauthorizedError } from "@/server/errors";

function localeCookie(locale: string): string {
  const secure = env().APP_URL.startsWith("https://") ? "; Secure" : "";
  return `${LOCALE_COOKIE}=${locale}; Path=/; SameSite=Lax; Max-Age=31536000${secure}`;
}

/** The signed-in user's own account; users are global, so these run on the platform path for that one user. */
export const accountRouter = createTRPCRouter({
  me: authed().query(async ({ ctx }) => {
    const account = await withPlatform("auth", (tx) => getAccount(tx, ctx.user.id));
    if (!account) throw new UnauthorizedError("signed_out", "Please sign in.");
    return account;
  }),

  setLocale: authed()
    .input(localeInput)
    .mutation(async ({ ctx, input }) => {
      await withPlatform("auth", (tx) => setAccountLocale(tx, ctx.user.id, input));
      // Also remembered in the browser, for the sign-in page after signing out.
      if (input.locale) ctx.resHeaders?.append("set-cookie", localeCookie(input.locale));
      return { locale: input.locale };
    }),

  /** On success every session ends, this one included: the client signs out and the user signs in again. */
  changePassword: authed()
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => withPlatform("auth", (tx) => changePassword(tx, ctx.user.id, input, ctx.ip))),

  /** The signed-in devices, this one marked. */
  devices: authed().query(({ ctx }) => withPlatform("auth", (tx) => listSessions(tx, ctx.user.id, ctx.session.sessionId))),

  /** Ends one of the user's own sessions (another user's id ends nothing); for this device the client then signs out. */
  signOutDevice: authed()
    .input(z.object({ id: z.uuid() }).strict())
    .mutation(async ({ ctx, input }) => {
      const ended = await withPlatform("auth", (tx) => signOutDevice(tx, ctx.user.id, input.id, ctx.ip));
      return { ended, current: input.id === ctx.session.sessionId };
    }),

  signOutEverywhere: authed().mutation(async ({ ctx }) => {
    await withPlatform("auth", (tx) => signOutEverywhere(tx, ctx.user.id, ctx.ip));
    return { ok: true as const };
  }),
});
