import { closeDatabase, getDatabase } from "@/db/client";
import { seedDemoIfEmpty } from "@/db/seed";

// Seeds the demo restaurants and users into DATABASE_URL when it holds no restaurant yet.
const { db } = await getDatabase();
const seeded = await seedDemoIfEmpty(db);
console.log(seeded ? "Demo data seeded." : "Database already has restaurants: nothing seeded.");
await closeDatabase();
