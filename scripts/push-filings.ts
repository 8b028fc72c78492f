import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { filingsFromCsv, pushFilings, type Filing } from "../src/client/push-filings.js";

// The insurer integration example: node dist/scripts/push-filings.js --file filings.csv|.json
//   HUB_URL (default http://localhost:4000) and HUB_TOKEN (an INSURER token) from the environment.
const { values } = parseArgs({ options: { file: { type: "string" }, batch: { type: "string", default: "500" } } });
if (!values.file || !process.env.HUB_TOKEN) {
  console.error("usage: HUB_TOKEN=<insurer token> [HUB_URL=http://localhost:4000] node dist/scripts/push-filings.js --file filings.csv|filings.json [--batch 500]");
  process.exit(2);
}
const text = readFileSync(values.file, "utf8");
const filings: Filing[] = values.file.endsWith(".json") ? JSON.parse(text) : filingsFromCsv(text);
const started = Date.now();
const summary = await pushFilings(filings, {
  url: process.env.HUB_URL ?? "http://localhost:4000",
  token: process.env.HUB_TOKEN,
  batchSize: Number(values.batch),
  log: (l) => console.log(l),
});
console.log(`${filings.length} filings in ${Date.now() - started} ms: ${summary.accepted} accepted (${summary.replayed} replays), ${summary.rejected.length} rejected, ${summary.findings} findings`);
for (const r of summary.rejected) console.log(`  ✗ ${r.policyNo} ${r.code}: ${r.errors.map((e) => `${e.field} ${e.rule}`).join("; ")}`);
process.exitCode = summary.rejected.length ? 1 : 0;
