import { closeDatabase } from "@/db/client";
import { seedDemoIfEmpty } from "@/server/demo/seed";

// Seeds the demo restaurants and users into DATABASE_URL when it holds no restaurant yet.
const seeded = await seedDemoIfEmpty();
console.log(seeded ? "Demo data seeded." : "Database already has restaurants: nothing seeded.");
await closeDatabase();
