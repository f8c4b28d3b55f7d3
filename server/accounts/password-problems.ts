import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, validateNewPassword } from "@/server/auth/password";

export type PasswordProblem = "tooShort" | "tooLong" | "blank" | "containsEmail" | "common" | "weak";

export interface PasswordCheck {
  problem: PasswordProblem;
  values: { min: number; max: number };
}

/**
 * validateNewPassword's English sentence as a message key, so forms can say it in the user's language.
 * Unit-tested against every sentence of the policy; an unknown one falls back to "weak".
 */
export function checkNewPassword(password: string, context: { email?: string } = {}): PasswordCheck | null {
  const message = validateNewPassword(password, context);
  if (!message) return null;
  const values = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
  if (message.includes("at least")) return { problem: "tooShort", values };
  if (message.includes("at most")) return { problem: "tooLong", values };
  if (message.includes("blank")) return { problem: "blank", values };
  if (message.includes("email")) return { problem: "containsEmail", values };
  if (message.includes("common")) return { problem: "common", values };
  return { problem: "weak", values };
}
