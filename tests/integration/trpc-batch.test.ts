import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { withPlatform } from "@/db/scope";
import { invitations } from "@/db/schema";
import { GET, POST } from "@/app/api/trpc/[trpc]/route";
import { hashInvitationToken } from "@/server/team";
import { MAX_BATCH_SIZE } from "@/server/trpc/limits";
import { closeDatabase, createRestaurant, openTestDatabase, testDatabaseKind } from "../support/database";

// next-auth cannot load outside Next; these calls are public (nobody signed in).
vi.mock("@/server/auth/next-auth", () => ({ auth: () => Promise.resolve(null) }));

/** tRPC batches: at most MAX_BATCH_SIZE calls per HTTP request; a bigger one is refused before any call runs. */
describe(`tRPC batches are bounded (${testDatabaseKind()})`, () => {
  let token: string;
  let linkId: string;

  beforeAll(async () => {
    await openTestDatabase();
    const restaurant = await createRestaurant({ name: "Batch Bistro" });
    token = randomBytes(32).toString("base64url");
    const [row] = await withPlatform("test", (tx) =>
      tx
        .insert(invitations)
        .values({ restaurantId: restaurant.id, role: "manager", tokenHash: hashInvitationToken(token), expiresAt: new Date(Date.now() + 86_400_000) })
        .returning({ id: invitations.id }),
    );
    linkId = row!.id;
  });
  afterAll(closeDatabase);

  const url = (path: string, count: number) => `http://localhost:3000/api/trpc/${Array.from({ length: count }, () => path).join(",")}?batch=1`;
  const inputs = (count: number, input: (i: number) => unknown) => Object.fromEntries(Array.from({ length: count }, (_, i) => [String(i), { json: input(i) }]));
  const claims = async () => (await withPlatform("test", (tx) => tx.select().from(invitations).where(eq(invitations.parentId, linkId)))).length;

  it(`runs a batch of ${MAX_BATCH_SIZE} calls`, async () => {
    const query = encodeURIComponent(JSON.stringify(inputs(MAX_BATCH_SIZE, () => ({ token }))));
    const res = await GET(new Request(`${url("invitation.preview", MAX_BATCH_SIZE)}&input=${query}`));
    expect(res.status).toBe(200);
    const answers = (await res.json()) as { result?: { data: { json: { restaurantName: string } } } }[];
    expect(answers).toHaveLength(MAX_BATCH_SIZE);
    expect(answers.every((a) => a.result?.data.json.restaurantName === "Batch Bistro")).toBe(true);
  });

  it(`refuses ${MAX_BATCH_SIZE + 1} calls with a 400 before running any of them`, async () => {
    const count = MAX_BATCH_SIZE + 1;
    const stamp = Date.now();
    const res = await POST(
      new Request(url("invitation.claim", count), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(inputs(count, (i) => ({ token, email: `batch-${stamp}-${i}@test.local` }))),
      }),
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/Batch call exceeds maximum size/);
    expect(await claims()).toBe(0);

    // The same calls within the limit do run (so the count above is not zero for another reason).
    const ok = await POST(
      new Request(url("invitation.claim", 2), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(inputs(2, (i) => ({ token, email: `batch-ok-${stamp}-${i}@test.local` }))),
      }),
    );
    expect(ok.status).toBe(200);
    expect(await claims()).toBe(2);
  });
});
