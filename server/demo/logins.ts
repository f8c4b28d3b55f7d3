/** Demo logins, printed by `npm run dev` and used by the e2e tests. Plain constants: safe to import anywhere. */
export const DEMO_PASSWORD = "demo-checklist-2026";
export const DEMO_USERS = {
  owner: "owner@demo.test",
  manager: "manager@demo.test",
  staff: "staff@demo.test",
  admin: "admin@demo.test",
} as const;

/** Their name, currency, timezone and language match the simulator's demo accounts (simulator/demo.ts). */
export const DEMO_RESTAURANTS = [
  { name: "Кафе «Демо»", posterAccountNumber: "100001", posterAccountLogin: "demo-cafe", currency: "RUB", timezone: "Europe/Moscow", locale: "ru" as const },
  { name: "Demo Bar", posterAccountNumber: "100002", posterAccountLogin: "demo-bar", currency: "USD", timezone: "Asia/Almaty", locale: "en" as const },
];
