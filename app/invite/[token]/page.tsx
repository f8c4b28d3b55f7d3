import { TRPCError } from "@trpc/server";
import { getCurrentUser } from "@/server/auth/session";
import { invitationToken } from "@/server/team";
import { InviteScreen, type InvitePreview } from "@/ui/invite/invite-screen";
import { getQueryClient, trpc } from "@/ui/trpc/server";

/** The invitation link: outside the signed-in layout, since the invitee may have no account yet. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await getCurrentUser();
  let preview: InvitePreview | null = null;
  if (invitationToken.safeParse(token).success) {
    try {
      const found = await getQueryClient().fetchQuery(trpc.invitation.preview.queryOptions({ token }));
      preview = { ...found, expiresAt: new Date(found.expiresAt).toISOString() };
    } catch (err) {
      if (!(err instanceof TRPCError && err.code === "NOT_FOUND")) throw err;
    }
  }
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center p-4">
      <InviteScreen token={token} preview={preview} user={user ? { email: user.email } : null} />
    </main>
  );
}
