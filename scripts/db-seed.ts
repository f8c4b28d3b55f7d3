import { closeDatabase } from "@/db/client";
import { seedDemoIfEmpty } from "@/server/demo/seed";
import { installEmbeddedSimulator } from "@/simulator/install";

// Seeds the demo restaurants and users into DATABASE_URL when it holds no restaurant yet.
// Without POSTER_API_URL the onboarding syncs talk to the embedded simulator, as `npm run dev` does.
installEmbeddedSimulator();
const seeded = await seedDemoIfEmpty();
console.log(seeded ? "Demo data seeded." : "Database already has restaurants: nothing seeded.");
await closeDatabase();
