import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { verifyAuditChain } from "../src/modules/audit/verify.js";

// `npm run audit:verify`: walks the audit log's hash chain (src/modules/audit/verify.ts) in the
// configured database (DATABASE_URL, or the embedded one in HUB_DATA_DIR: stop the hub first, PGlite
// is one process's). Exit 0: the chain verifies; 1: an entry is broken (named); 2: could not check.
const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
let code = 2;
try {
  const started = Date.now();
  const result = await verifyAuditChain(database.db);
  const ms = Date.now() - started;
  if (result.ok) {
    console.log(`审计链校验通过 / audit chain OK: ${result.count} entries verified in ${ms} ms, head ${result.head}`);
    code = 0;
  } else {
    console.error(`审计链断裂 / audit chain BROKEN at entry ${result.brokenId} (${result.count} entries before it verified): ${result.reason}`);
    code = 1;
  }
} catch (e) {
  console.error(`无法校验审计链 / could not verify the audit chain: ${(e as Error).message}`);
} finally {
  await database.close();
}
process.exit(code);
