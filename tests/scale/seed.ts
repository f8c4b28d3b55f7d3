/**
 * The scale data set: the bench generator's restaurants (tests/bench/generate.ts), each with the size a real
 * account has (300–2,000 ingredients, 3–6 storages, 20–60 suppliers, drawn from the seed), 90 days of requests
 * and orders (received ones are the receipts), an owner, a manager and a staff member, and an active Poster
 * connection to a simulator account of the same size. The simulator side is a pure function of (seed, index):
 * scaleSimAccounts() rebuilds the same accounts (data and token) in any process, so a database seeded once by
 * `npm run seed:scale` and a simulator started later by the scale tests match.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { memberships, users } from "@/db/schema";
import { posterTokenStore } from "@/server/connections/token-store";
import type { SimAccountOptions } from "@/simulator";
import { createRng } from "@/simulator/prng";
import { SimAccount } from "@/simulator/account";
import { DEFAULT_SHAPE, generateBenchData, type BenchShape } from "@/tests/bench/generate";

export interface ScaleSize {
  storages: number;
  ingredients: number;
  suppliers: number;
}

export interface ScaleRestaurant {
  id: string;
  index: number;
  accountNumber: string;
  login: string;
  size: ScaleSize;
  ownerId: string;
  managerId: string;
  staffId: string;
}

/** Poster account numbers (and simulator logins) are `<tag>-<n>`, n from 1: the generator's numbering. */
export const scaleLogin = (tag: string, index: number) => `${tag}-${index + 1}`;

/** The size of restaurant `index`, as a real account would vary. */
export function scaleSize(seed: string, index: number): ScaleSize {
  const rng = createRng(`${seed}:size:${index}`);
  return { storages: rng.int(3, 6), ingredients: rng.int(300, 2_000), suppliers: rng.int(20, 60) };
}

/** The simulator accounts matching a seeded database (same ids from 1, same sizes, deterministic tokens). */
export function scaleSimAccounts(count: number, seed: string, tag: string): SimAccountOptions[] {
  return Array.from({ length: count }, (_, i) => ({
    login: scaleLogin(tag, i),
    accountNumber: scaleLogin(tag, i),
    seed: `${seed}:account:${i}`,
    size: scaleSize(seed, i),
  }));
}

function benchShape(size: ScaleSize): Partial<BenchShape> {
  return {
    departments: size.storages,
    products: size.ingredients,
    bigDepartment: Math.min(500, Math.floor(size.ingredients / 3)),
    suppliers: size.suppliers,
    categories: 12,
    // 90 days: one order and one submitted request a day (received orders are the receipts).
    orders: 90,
    linesPerOrder: 12,
    submittedRequests: 90,
  };
}

/**
 * Seeds `count` restaurants tagged `tag` (their Poster account numbers are `<tag>-<n>`). Needs
 * TOKEN_ENCRYPTION_KEYS (or the development key) to seal the tokens, like the app.
 */
export async function seedScale(opts: { count: number; seed: string; tag: string; parallel?: number }): Promise<ScaleRestaurant[]> {
  const sims = scaleSimAccounts(opts.count, opts.seed, opts.tag);
  const made = await generateBenchData({ ...DEFAULT_SHAPE, restaurants: opts.count }, opts.parallel ?? 4, opts.tag, (i) => benchShape(scaleSize(opts.seed, i)));
  const out: ScaleRestaurant[] = [];
  for (const [i, r] of made.entries()) {
    const sim = sims[i]!;
    // The token the simulator will accept: the account derives it from its seed.
    const token = new SimAccount(sim, () => undefined).token;
    const ownerId = randomUUID();
    await withPlatform("seed", async (tx) => {
      await tx.insert(users).values({ id: ownerId, email: `${opts.tag}-owner-${i + 1}@bench.test`, name: "Scale Owner" });
      await tx.insert(memberships).values({ restaurantId: r.id, userId: ownerId, role: "owner", canSend: true, canReceive: true });
      await tx.execute(sql`update restaurants set poster_account_login = ${sim.login} where id = ${r.id}`);
      await posterTokenStore.save(tx, r.id, { accountNumber: sim.accountNumber, accountLogin: sim.login, token }, { connectedBy: ownerId });
    });
    out.push({ id: r.id, index: i, accountNumber: sim.accountNumber, login: sim.login, size: scaleSize(opts.seed, i), ownerId, managerId: r.managerId, staffId: r.staffId });
  }
  return out;
}

/** The restaurants a previous seedScale with this tag made, in index order (empty when none). */
export async function loadScale(seed: string, tag: string): Promise<ScaleRestaurant[]> {
  const rows = await withPlatform("seed", async (tx) =>
    rowsOf<{ id: string; account: string; owner_id: string; manager_id: string; staff_id: string }>(
      await tx.execute(sql`
        select r.id, r.poster_account_number as account,
               (select m.user_id from memberships m where m.restaurant_id = r.id and m.role = 'owner' limit 1) as owner_id,
               (select m.user_id from memberships m where m.restaurant_id = r.id and m.role = 'manager' limit 1) as manager_id,
               (select m.user_id from memberships m where m.restaurant_id = r.id and m.role = 'staff' limit 1) as staff_id
        from restaurants r where r.poster_account_number like ${`${tag}-%`}`),
    ),
  );
  return rows
    .map((r) => {
      const index = Number(r.account.slice(tag.length + 1)) - 1;
      return { id: r.id, index, accountNumber: r.account, login: r.account, size: scaleSize(seed, index), ownerId: r.owner_id, managerId: r.manager_id, staffId: r.staff_id };
    })
    .filter((r) => Number.isInteger(r.index) && r.index >= 0)
    .sort((a, b) => a.index - b.index);
}
