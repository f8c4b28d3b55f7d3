import { migratePostgres } from "@/db/migrate";

await migratePostgres();
console.log("Migrations applied.");
