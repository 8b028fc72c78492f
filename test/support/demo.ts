import { seedDemo } from "../../src/demo/generate.js";
import { freshDatabase } from "./db.js";

/** A fresh database with the scale-1 demo data, for read-side tests. */
export async function demoDatabase() {
  const database = await freshDatabase();
  await seedDemo(database.db, { scale: 1 });
  return database;
}
