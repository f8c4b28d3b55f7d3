import { hash, verify, parseOptions } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import { env } from "@/server/env";

/** Argon2id parameters (memory in KiB). */
export interface PasswordHashParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (≈ 30-50 ms on a server core). */
export const PRODUCTION_HASH_PARAMS: Readonly<PasswordHashParams> = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** Cheap parameters so test suites that create many users stay fast. Never used outside NODE_ENV=test. */
export const TEST_HASH_PARAMS: Readonly<PasswordHashParams> = { memoryCost: 1_024, timeCost: 1, parallelism: 1 };

/** `Algorithm.Argon2id`; the package exports it as a const enum, which isolatedModules can't inline. */
const ARGON2ID = 2;

export function defaultHashParams(): Readonly<PasswordHashParams> {
  return env().NODE_ENV === "test" ? TEST_HASH_PARAMS : PRODUCTION_HASH_PARAMS;
}

export async function hashPassword(password: string, params: Readonly<PasswordHashParams> = defaultHashParams()): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...params });
}

/** False for a wrong password and for a malformed or empty hash (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (!passwordHash.startsWith("$argon2")) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash used weaker (or different) parameters than today's; rehash after a successful login. */
export function passwordNeedsRehash(passwordHash: string, params: Readonly<PasswordHashParams> = defaultHashParams()): boolean {
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== ARGON2ID ||
      used.memoryCost !== params.memoryCost ||
      used.timeCost !== params.timeCost ||
      used.parallelism !== params.parallelism
    );
  } catch {
    return true;
  }
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
/** zxcvbn score 0-4; 3 = "safely unguessable" (≥ 10^8 guesses), the usual bar for online accounts. */
export const PASSWORD_MIN_SCORE = 3;

let zxcvbn: ZxcvbnFactory | undefined;
let commonPasswords: Set<string> | undefined;

/**
 * Built lazily: the ranked dictionaries take a moment and most requests never need them.
 * Levenshtein matching and unbounded l33t substitution cost 100-400 ms per check (measured), an easy
 * CPU sink on a public endpoint; without them a check takes a few ms. Only the first 64 characters are
 * analysed: anything longer that isn't a repeat of something weak is beyond guessing anyway.
 */
function checker(): { zxcvbn: ZxcvbnFactory; common: Set<string> } {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary,
    graphs: adjacencyGraphs,
    useLevenshteinDistance: false,
    l33tMaxSubstitutions: 10,
    maxLength: 64,
  });
  commonPasswords ??= new Set(dictionary["passwords-common"]);
  return { zxcvbn, common: commonPasswords };
}

function emailLocalPart(email: string | undefined): string | undefined {
  const local = email?.trim().toLowerCase().split("@")[0];
  return local && local.length >= 3 ? local : undefined;
}

/**
 * The password policy for new passwords. Returns null when acceptable, otherwise a message to show.
 * Length is counted in characters (code points), so non-Latin passwords aren't penalised.
 */
export function validateNewPassword(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  if (password.trim().length === 0) return "Password must not be blank.";

  const lower = password.toLowerCase();
  const email = context.email?.trim().toLowerCase();
  const local = emailLocalPart(email);
  if ((email && lower === email) || (local && lower.includes(local))) {
    return "Password must not contain your email address.";
  }

  const { zxcvbn: z, common } = checker();
  if (common.has(lower)) return "This password is one of the most common passwords. Choose another one.";
  const userInputs = [email, local, ...(email?.split(/[@.+_-]/) ?? [])].filter((s): s is string => !!s && s.length >= 3);
  const result = z.check(password, userInputs);
  if (result.score < PASSWORD_MIN_SCORE) {
    return "This password is too easy to guess. Use a longer phrase or a mix of unrelated words.";
  }
  return null;
}
