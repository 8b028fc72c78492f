import pg from "pg";
import { openDatabase, type Database } from "../../src/db/client.js";

/**
 * A fresh database per test file: an in-memory PGlite by default, or, when TEST_DATABASE_URL is set,
 * a new PostgreSQL database created for this file and dropped afterwards (runs never collide).
 * `migrate: false` leaves it empty (a test of the migrations themselves).
 */
export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<Database & { label: string }> {
  const base = process.env.TEST_DATABASE_URL;
  const migrate = opts.migrate ?? true;
  if (!base) {
    const d = await openDatabase({ dataDir: "memory://" });
    if (migrate) await d.migrate();
    return Object.assign(d, { label: "pglite" });
  }
  const name = `anze_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const d = await openDatabase({ url: url.toString(), poolSize: 4 });
  if (migrate) await d.migrate();
  const close = d.close;
  return Object.assign(d, {
    label: "postgres",
    close: async () => {
      await close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  });
}
