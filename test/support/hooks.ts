import { afterAll, beforeAll } from "vitest";
import type { Database } from "../../src/db/client.js";
import { freshDatabase } from "./db.js";
import { loadFixture } from "./fixture.js";
import { asRole } from "./graphql.js";

/**
 * The usual test file setup: a fresh database with the hand-made fixture for the whole file.
 * Read `t.database` and `t.run` inside tests (they are set by beforeAll).
 */
export function useFixtureDatabase(extra?: (database: Database) => Promise<void>) {
  const t = {} as { database: Database; run: ReturnType<typeof asRole> };
  beforeAll(async () => {
    t.database = await freshDatabase();
    await loadFixture(t.database.db);
    await extra?.(t.database);
    t.run = asRole(t.database);
  });
  afterAll(() => t.database?.close());
  return t;
}
