import "reflect-metadata";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { isEmpty, seedDemo } from "../src/demo/generate.js";
import { recomputeFindings } from "../src/modules/compliance/recompute.js";

// npm run seed [-- --scale N] [--seed S]: demo data into an empty database (DATABASE_URL or HUB_DATA_DIR).
const { values } = parseArgs({ options: { scale: { type: "string", default: "1" }, seed: { type: "string" } } });
const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
await database.migrate();
if (!(await isEmpty(database.db))) {
  console.log("数据库已有数据，未写入演示数据 / the database already holds data: nothing seeded");
} else {
  const started = Date.now();
  const summary = await seedDemo(database.db, { scale: Number(values.scale), seed: values.seed ? Number(values.seed) : undefined });
  const seeded = Date.now();
  const findings = await recomputeFindings(database.db, new Date());
  console.log(Object.entries(summary).map(([k, v]) => `${k}: ${v}`).join("\n"));
  console.log(`seeded in ${seeded - started} ms; ${findings} open findings computed in ${Date.now() - seeded} ms (${database.kind})`);
}
await database.close();
