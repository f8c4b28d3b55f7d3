import type { SimAccountOptions } from "./account";

/**
 * Fixed demo accounts: dev and e2e rely on these logins, numbers and tokens staying the same.
 * The tokens only open the simulator; they are not secrets. Name, currency, timezone and language match the
 * seeded restaurants (server/demo/logins.ts): every full sync refreshes a restaurant's settings from its account's.
 */
export const DEMO_ACCOUNTS = [
  {
    login: "demo-cafe",
    accountNumber: "100001",
    token: "100001:5f0c7e4a9b2d4e6f8a1c3b5d7e9f0a2b",
    seed: "demo-cafe",
    companyName: "Кафе «Демо»",
    currency: "RUB",
    timezone: "Europe/Moscow",
    lang: "ru",
    country: "RU",
    size: { storages: 4, ingredients: 420, suppliers: 28 },
  },
  {
    login: "demo-bar",
    accountNumber: "100002",
    token: "100002:9a8b7c6d5e4f30211f2e3d4c5b6a7988",
    seed: "demo-bar",
    companyName: "Demo Bar",
    currency: "USD",
    timezone: "Asia/Almaty",
    lang: "en",
    // The data (phones, suppliers) stays Kazakh: an English-speaking bar in Almaty that keeps its books in USD.
    country: "KZ",
    size: { storages: 3, ingredients: 310, suppliers: 22 },
  },
] as const satisfies readonly SimAccountOptions[];

/** The simulator's published application (development only: production requires its own). */
export { DEV_POSTER_APPLICATION as DEFAULT_SIM_APPLICATION } from "@/server/env";
