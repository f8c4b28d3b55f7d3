/**
 * Passwords the e2e specs type in, besides the demo password: the secret scan after the e2e run checks that none
 * of them reached the server's log.
 */
export const E2E_NEW_PASSWORD = "violet tractor sings quietly at dawn";
export const E2E_WRONG_PASSWORDS = ["wrong-guess-1-Kq", "wrong-guess-2-Kq", "wrong-guess-3-Kq", "wrong-guess-4-Kq", "wrong-guess-5-Kq", "wrong-guess-6-Kq"];
