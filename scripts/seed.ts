import "reflect-metadata";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/db/client.js";
import { DEFAULT_SEED, isEmpty, seedDemo } from "../src/demo/generate.js";
import { DEMO_TODAY } from "../src/demo/ids.js";
import { recomputeFindings } from "../src/modules/compliance/recompute.js";

// node dist/scripts/seed.js [--scale N] [--seed S]: demo data into an empty database (DATABASE_URL or HUB_DATA_DIR).
const { values } = parseArgs({ options: { scale: { type: "string", default: "1" }, seed: { type: "string", default: String(DEFAULT_SEED) } } });
const scale = Number(values.scale);
const seed = Number(values.seed);
if (!(scale > 0) || !Number.isInteger(seed)) {
  console.error("用法 / usage: seed [--scale N>0] [--seed INTEGER]");
  process.exit(2);
}

const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.HUB_DATA_DIR ?? "./.anze-data" });
try {
  await database.migrate();
  if (!(await isEmpty(database.db))) {
    console.log("数据库已有数据，未写入演示数据 / the database already holds data: nothing seeded");
  } else {
    const started = performance.now();
    const summary = await seedDemo(database.db, { scale, seed });
    const seeded = performance.now();
    // findings are judged as of the demo's "today", so the demo reads the same whenever it is run
    const findings = await recomputeFindings(database.db, new Date(`${DEMO_TODAY}T00:00:00+08:00`));
    for (const [table, n] of Object.entries(summary)) console.log(`${table.padEnd(22)} ${n}`);
    console.log(`seed ${seed}, scale ${scale}: ${Math.round(seeded - started)} ms (${database.kind}); ${findings} open findings in ${Math.round(performance.now() - seeded)} ms`);
  }
} finally {
  await database.close();
}
