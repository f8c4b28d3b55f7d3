import { createHash } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { auditLog, departments, invitations, mailOutbox, memberships, users } from "@/db/schema";
import { checkCredentials } from "@/server/auth/sign-in";
import { MAX_CLAIMS_PER_LINK } from "@/server/team";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";
import { sessionOf } from "../support/tenant-fixture";

const PASSWORD = "amber-walrus-quietly-juggles-42";

describe(`team: invitations, members, owner rules (${testDatabaseKind()})`, () => {
  let restaurantId: string;
  let otherRestaurantId: string;
  let kitchen: string;
  let bar: string;
  let foreignDepartment: string;
  let owner: { id: string };
  let manager: { id: string };

  const as = async (userId: string, restaurant: string | null = restaurantId) =>
    createCaller(createInnerContext({ session: await sessionOf(userId), requestedRestaurantId: restaurant }));
  const anonymous = () => createCaller(createInnerContext());
  const tokenOf = (url: string) => url.split("/invite/")[1]!;

  beforeAll(async () => {
    process.env.APP_URL = "https://checklist.example";
    await openTestDatabase();
    const r = await createRestaurant({ name: "Team Test Bistro" });
    const other = await createRestaurant();
    restaurantId = r.id;
    otherRestaurantId = other.id;
    [kitchen, bar, foreignDepartment] = await withPlatform("test", async (tx) => {
      const rows = await tx
        .insert(departments)
        .values([
          { restaurantId, name: "Kitchen" },
          { restaurantId, name: "Bar" },
          { restaurantId: other.id, name: "Elsewhere" },
        ])
        .returning();
      return rows.map((d) => d.id) as [string, string, string];
    });
    owner = await createUser({ name: "Olga" });
    manager = await createUser({ name: "Max" });
    await addMembership({ restaurantId, userId: owner.id, role: "owner", canSend: true, canReceive: true });
    await addMembership({ restaurantId, userId: manager.id, role: "manager", canSend: true, canReceive: true });
  });
  afterAll(async () => {
    delete process.env.APP_URL;
    await closeDatabase();
  });

  const inviteStaff = async (by = owner.id, extra: { email?: string } = {}) =>
    (await as(by)).team.invite({ role: "staff", departmentIds: [kitchen], canSend: false, canReceive: true, ...extra });
  /** A shareable link's token (the only kind whose link the inviter gets). */
  const linkToken = (invite: { url: string | null }) => tokenOf(invite.url ?? "no link was answered");

  /** The newest invitation mail to `to` (no SMTP in tests: the outbox), and the invitation token in it. */
  const mailTo = async (to: string) => {
    const [mail] = await withPlatform("test", (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.to, to)).orderBy(desc(mailOutbox.createdAt)).limit(1));
    const url = mail?.text.match(/https:\/\/checklist\.example\/invite\/[A-Za-z0-9_-]{43}/)?.[0];
    if (!mail || !url) throw new Error(`no invitation mail to ${to}`);
    return { ...mail, token: tokenOf(url) };
  };
  /** Someone opens a shareable link and gives `email`: the token of the invitation e-mailed there. */
  const claim = async (token: string, email: string) => {
    expect(await anonymous().invitation.claim({ token, email })).toEqual({ sentTo: email });
    return (await mailTo(email)).token;
  };
  const usersWithEmail = (email: string) => withPlatform("test", (tx) => tx.select().from(users).where(eq(users.email, email)));

  it("creates a shareable link whose URL comes from APP_URL and whose token is stored only as a sha256", async () => {
    const invite = await inviteStaff();
    expect(invite).toMatchObject({ kind: "link", sentTo: null });
    expect(invite.url).toMatch(/^https:\/\/checklist\.example\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = linkToken(invite);
    const [row] = await withPlatform("test", (tx) => tx.select().from(invitations).where(eq(invitations.id, invite.id)));
    expect(row!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);

    const pending = await (await as(owner.id)).team.invitations();
    const listed = pending.find((p) => p.id === invite.id);
    expect(listed).toMatchObject({ role: "staff", canSend: false, canReceive: true, departments: [{ id: kitchen, name: "Kitchen" }] });
    expect(JSON.stringify(pending)).not.toContain(token);
    expect(JSON.stringify(pending)).not.toContain(row!.tokenHash);

    const audit = await withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "invitation.created"), eq(auditLog.targetId, invite.id))));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(owner.id);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("previews the restaurant, role and kind without signing in; an unknown token is NOT_FOUND", async () => {
    const invite = await inviteStaff();
    const preview = await anonymous().invitation.preview({ token: linkToken(invite) });
    expect(preview).toMatchObject({ restaurantName: "Team Test Bistro", role: "staff", kind: "link", email: null, status: "pending" });
    expect(JSON.stringify(preview)).not.toContain(restaurantId);
    await expect(anonymous().invitation.preview({ token: "A".repeat(43) })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("delivers an e-mail-bound invitation by e-mail only: the inviter gets no link, the e-mailed one registers that address", async () => {
    const email = `bound-${Date.now()}@test.local`;
    const invite = await inviteStaff(owner.id, { email });
    expect(invite).toMatchObject({ kind: "email", url: null, sentTo: email });
    expect(JSON.stringify(invite)).not.toMatch(/\/invite\//);
    const mail = await mailTo(email);
    expect(mail.subject).toContain("Team Test Bistro");
    expect(JSON.stringify(await (await as(owner.id)).team.invitations())).not.toContain(mail.token);
    expect(await anonymous().invitation.preview({ token: mail.token })).toMatchObject({ kind: "email", email, status: "pending" });

    const joined = await anonymous().invitation.register({ token: mail.token, name: "Bound", password: PASSWORD });
    expect(joined).toMatchObject({ email, role: "staff" });
    expect((await anonymous().invitation.preview({ token: mail.token })).status).toBe("accepted");
  });

  it("registers nobody from a shareable link itself: the invitee's own address gets an e-mail, and only its link creates the account and membership", async () => {
    const invite = await inviteStaff();
    const token = linkToken(invite);
    const email = `new-cook-${Date.now()}@test.local`;
    await expect(anonymous().invitation.register({ token, name: "Sneaky", password: PASSWORD })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await usersWithEmail(email)).toHaveLength(0);

    const emailed = await claim(token, email);
    expect(emailed).not.toBe(token);
    // Claiming proves nothing yet: no account, no membership, the link still open.
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect((await anonymous().invitation.preview({ token })).status).toBe("pending");
    expect(await anonymous().invitation.preview({ token: emailed })).toMatchObject({ kind: "email", email, role: "staff", status: "pending" });
    const claimedAudit = await withPlatform("test", (tx) => tx.select().from(auditLog).where(eq(auditLog.action, "invitation.claimed")));
    expect(claimedAudit.some((a) => (a.data as { linkId?: string } | null)?.linkId === invite.id)).toBe(true);
    // The e-mails a link sent are part of it, not separate pending invitations.
    expect((await (await as(owner.id)).team.invitations()).filter((p) => p.email === email)).toEqual([]);

    const joined = await anonymous().invitation.register({ token: emailed, name: "New Cook", password: PASSWORD });
    expect(joined).toMatchObject({ restaurantName: "Team Test Bistro", role: "staff", email });
    const signedIn = await checkCredentials({ email, password: PASSWORD }, null);
    if (!signedIn.ok) throw new Error(`the new account cannot sign in: ${signedIn.reason}`);
    const current = await (await as(signedIn.user.id)).restaurant.current();
    expect(current.restaurant.id).toBe(restaurantId);
    expect(current.departments.map((d) => d.id)).toEqual([kitchen]);
    expect(current.permissions).toContain("orders.receive");
    expect(current.permissions).not.toContain("orders.send");

    // The link is used up with it: no more e-mails, no other acceptance.
    expect((await anonymous().invitation.preview({ token })).status).toBe("accepted");
    await expect(anonymous().invitation.claim({ token, email: `again-${Date.now()}@test.local` })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already been used/) });
    await expect(anonymous().invitation.register({ token: emailed, name: "Again", password: PASSWORD })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect((await as(manager.id)).invitation.accept({ token })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("answers a claim the same for a registered address and a new one (same e-mail text too); the registered one signs in to join", async () => {
    const existing = await createUser({ name: "Registered", email: `registered-${Date.now()}@test.local` });
    const invite = await inviteStaff();
    const fresh = `fresh-${Date.now()}@test.local`;
    expect(await anonymous().invitation.claim({ token: linkToken(invite), email: existing.email })).toEqual({ sentTo: existing.email });
    expect(await anonymous().invitation.claim({ token: linkToken(invite), email: fresh })).toEqual({ sentTo: fresh });
    const [a, b] = [await mailTo(existing.email), await mailTo(fresh)];
    expect(a.subject).toBe(b.subject);
    expect(a.text.replace(a.token, "T")).toBe(b.text.replace(b.token, "T"));

    // Only the address's owner has this link: they are told to sign in, and joining as that account works.
    await expect(anonymous().invitation.register({ token: a.token, name: "Squatter", password: PASSWORD })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/Sign in/) });
    expect(await (await as(existing.id)).invitation.accept({ token: a.token })).toMatchObject({ restaurantName: "Team Test Bistro" });
    // The other e-mail of that link died with it.
    await expect(anonymous().invitation.register({ token: b.token, name: "Late", password: PASSWORD })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await usersWithEmail(fresh)).toHaveLength(0);
  });

  it(`sends at most ${MAX_CLAIMS_PER_LINK} e-mails from one shareable link`, async () => {
    const token = linkToken(await inviteStaff());
    const stamp = Date.now();
    for (let i = 0; i < MAX_CLAIMS_PER_LINK; i++) await anonymous().invitation.claim({ token, email: `claim-${stamp}-${i}@test.local` });
    await expect(anonymous().invitation.claim({ token, email: `claim-${stamp}-x@test.local` })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await withPlatform("test", (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.to, `claim-${stamp}-x@test.local`)))).toHaveLength(0);
  });

  it("lets only one of two simultaneous acceptances of one link succeed (two e-mails it sent)", async () => {
    const token = linkToken(await inviteStaff());
    const stamp = Date.now();
    const [one, two] = [await claim(token, `race-1-${stamp}@test.local`), await claim(token, `race-2-${stamp}@test.local`)];
    const results = await Promise.allSettled([
      anonymous().invitation.register({ token: one, name: "One", password: PASSWORD }),
      anonymous().invitation.register({ token: two, name: "Two", password: PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const created = [...(await usersWithEmail(`race-1-${stamp}@test.local`)), ...(await usersWithEmail(`race-2-${stamp}@test.local`))];
    expect(created).toHaveLength(1);
  });

  it("refuses a weak password with a clear message and writes nothing", async () => {
    const email = `weak-${Date.now()}@test.local`;
    const token = await claim(linkToken(await inviteStaff()), email);
    await expect(anonymous().invitation.register({ token, name: "Weak", password: "password123" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/password/i),
    });
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect((await anonymous().invitation.preview({ token })).status).toBe("pending");
  });

  it("lets an existing signed-in user join, and keeps an e-mail-bound invitation to its address", async () => {
    const existing = await createUser({ name: "Existing" });
    await addMembership({ restaurantId: otherRestaurantId, userId: existing.id, role: "owner" });
    await inviteStaff(owner.id, { email: "someone-else@test.local" });
    const bound = await mailTo("someone-else@test.local");
    await expect((await as(existing.id)).invitation.accept({ token: bound.token })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const invite = await (await as(owner.id)).team.invite({ role: "manager", departmentIds: [], canSend: false, canReceive: false });
    const joined = await (await as(existing.id)).invitation.accept({ token: linkToken(invite) });
    expect(joined).toMatchObject({ restaurantName: "Team Test Bistro", role: "manager" });
    const mine = await (await as(existing.id)).restaurant.mine();
    expect(mine.map((r) => r.id).sort()).toEqual([restaurantId, otherRestaurantId].sort());
    // A manager may do what managers do, whatever the capability boxes said.
    const current = await (await as(existing.id, restaurantId)).restaurant.current();
    expect(current.permissions).toEqual(expect.arrayContaining(["orders.send", "orders.receive", "team.manage"]));

    const again = await inviteStaff();
    await expect((await as(existing.id)).invitation.accept({ token: linkToken(again) })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already a member/) });
  });

  it("refuses expired and revoked invitations with clear errors; revoking a link revokes what it e-mailed", async () => {
    const expired = await inviteStaff();
    await withPlatform("test", (tx) => tx.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, expired.id)));
    await expect(anonymous().invitation.claim({ token: linkToken(expired), email: `late-${Date.now()}@test.local` })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/expired/),
    });
    expect((await anonymous().invitation.preview({ token: linkToken(expired) })).status).toBe("expired");

    const revoked = await inviteStaff();
    const emailed = await claim(linkToken(revoked), `gone-${Date.now()}@test.local`);
    await (await as(manager.id)).team.revokeInvitation({ invitationId: revoked.id });
    await expect(anonymous().invitation.register({ token: emailed, name: "Gone", password: PASSWORD })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/revoked/),
    });
    expect((await anonymous().invitation.preview({ token: emailed })).status).toBe("revoked");
    const pending = await (await as(owner.id)).team.invitations();
    expect(pending.map((p) => p.id)).not.toContain(revoked.id);
    expect(pending.map((p) => p.id)).not.toContain(expired.id);
    const audit = await withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "invitation.revoked"), eq(auditLog.targetId, revoked.id))));
    expect(audit[0]?.actorUserId).toBe(manager.id);
  });

  it("requires at least one department of this restaurant for staff", async () => {
    const caller = await as(owner.id);
    await expect(caller.team.invite({ role: "staff", departmentIds: [], canSend: false, canReceive: false })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.team.invite({ role: "staff", departmentIds: [foreignDepartment], canSend: false, canReceive: false })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("keeps managers away from owners", async () => {
    const m = await as(manager.id);
    await expect(m.team.invite({ role: "owner", departmentIds: [], canSend: true, canReceive: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const ownerInvite = await (await as(owner.id)).team.invite({ role: "owner", departmentIds: [], canSend: true, canReceive: true });
    await expect(m.team.revokeInvitation({ invitationId: ownerInvite.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const { members } = await m.team.members();
    const ownerRow = members.find((x) => x.userId === owner.id)!;
    expect(ownerRow.canEdit).toBe(false);
    await expect(m.team.updateMember({ membershipId: ownerRow.membershipId, role: "manager", canSend: true, canReceive: true, departmentIds: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(m.team.setMemberActive({ membershipId: ownerRow.membershipId, active: false })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const staff = await createUser();
    const staffMembership = await addMembership({ restaurantId, userId: staff.id, role: "staff" });
    await expect(m.team.updateMember({ membershipId: staffMembership.id, role: "owner", canSend: true, canReceive: true, departmentIds: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // What a manager may do: change staff.
    await expect(m.team.updateMember({ membershipId: staffMembership.id, role: "staff", canSend: true, canReceive: false, departmentIds: [bar] })).resolves.toMatchObject({ canSend: true, departmentIds: [bar] });
  });

  it("never leaves the restaurant without an active owner", async () => {
    const r = await createRestaurant();
    const soleOwner = await createUser();
    const sole = await addMembership({ restaurantId: r.id, userId: soleOwner.id, role: "owner" });
    const caller = await as(soleOwner.id, r.id);
    await expect(caller.team.updateMember({ membershipId: sole.id, role: "manager", canSend: true, canReceive: true, departmentIds: [] })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/at least one active owner/),
    });
    await expect(caller.team.setMemberActive({ membershipId: sole.id, active: false })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const second = await createUser();
    const secondMembership = await addMembership({ restaurantId: r.id, userId: second.id, role: "owner" });
    await expect(caller.team.setMemberActive({ membershipId: secondMembership.id, active: false })).resolves.toMatchObject({ isActive: false });
    // The second owner is inactive: the first is the last active one again.
    await expect(caller.team.updateMember({ membershipId: sole.id, role: "staff", canSend: false, canReceive: false, departmentIds: [] })).rejects.toMatchObject({ code: "CONFLICT" });
    await caller.team.setMemberActive({ membershipId: secondMembership.id, active: true });
    await expect(caller.team.updateMember({ membershipId: sole.id, role: "manager", canSend: true, canReceive: true, departmentIds: [] })).resolves.toMatchObject({ role: "manager" });
    const other = await as(second.id, r.id);
    await expect(other.team.setMemberActive({ membershipId: secondMembership.id, active: false })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("applies role changes on the member's next request and deactivation ends their session", async () => {
    const member = await createUser();
    const m = await addMembership({ restaurantId, userId: member.id, role: "staff" });
    await withPlatform("test", (tx) => tx.update(memberships).set({ role: "staff" }).where(eq(memberships.id, m.id)));
    const before = await as(member.id);
    await expect(before.team.members()).rejects.toMatchObject({ code: "FORBIDDEN" });

    await (await as(owner.id)).team.updateMember({ membershipId: m.id, role: "manager", canSend: false, canReceive: false, departmentIds: [] });
    await expect(before.team.members()).resolves.toBeTruthy();

    await (await as(owner.id)).team.setMemberActive({ membershipId: m.id, active: false });
    // The same session: revoked.
    await expect(before.restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // A new session: still not a member.
    await expect((await as(member.id)).restaurant.current()).rejects.toMatchObject({ code: "FORBIDDEN" });

    await (await as(owner.id)).team.setMemberActive({ membershipId: m.id, active: true });
    await expect((await as(member.id)).restaurant.current()).resolves.toMatchObject({ role: "manager" });

    const actions = await withPlatform("test", (tx) => tx.select().from(auditLog).where(eq(auditLog.targetId, m.id)));
    expect(actions.map((a) => a.action).sort()).toEqual(["member.deactivated", "member.reactivated", "member.updated"]);
    expect(actions.find((a) => a.action === "member.updated")!.data).toMatchObject({ from: { role: "staff" }, to: { role: "manager" } });
  });

  it("lists members with role, departments, capabilities and state", async () => {
    const { members, departments: depts } = await (await as(owner.id)).team.members();
    expect(depts.map((d) => d.name)).toEqual(expect.arrayContaining(["Kitchen", "Bar"]));
    expect(depts.map((d) => d.name)).not.toContain("Elsewhere");
    const me = members.find((x) => x.userId === owner.id)!;
    expect(me).toMatchObject({ role: "owner", isActive: true, isYou: true, name: "Olga" });
    expect(JSON.stringify(members)).not.toMatch(/password|argon2/i);
  });
});
