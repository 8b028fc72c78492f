import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { UNSEALED_GRACE_MS, verifyAuditChain } from "../src/modules/audit/verify.js";

// `npm run audit:verify [-- --grace SECONDS]`: walks the audit log's hash chain and checks the
// entries not yet sealed into it (src/modules/audit/verify.ts) in the configured database
// (DATABASE_URL, or the embedded one in HUB_DATA_DIR: stop the hub first, PGlite is one process's).
// An entry still unsealed SECONDS after it was written (default 60) is reported: no sealer is running.
// Exit 0: the log verifies; 1: an entry is broken or left unsealed (named); 2: could not check.
const graceArg = process.argv.indexOf("--grace");
const graceSeconds = graceArg >= 0 ? Number(process.argv[graceArg + 1]) : UNSEALED_GRACE_MS / 1000;
if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
  console.error("--grace 须为非负秒数 / --grace must be a number of seconds, 0 or more");
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
let code = 2;
try {
  const started = Date.now();
  const result = await verifyAuditChain(database.db, { unsealedGraceMs: graceSeconds * 1000 });
  const ms = Date.now() - started;
  if (result.ok) {
    console.log(
      `审计链校验通过 / audit chain OK: ${result.count} sealed entries verified in ${ms} ms, head ${result.head}; ` +
        `${result.unsealed} not yet sealed (content verified)`,
    );
    code = 0;
  } else {
    console.error(`审计日志校验未通过 / audit log check FAILED at entry ${result.brokenId} (${result.count} sealed entries verified before it): ${result.reason}`);
    code = 1;
  }
} catch (e) {
  console.error(`无法校验审计链 / could not verify the audit chain: ${(e as Error).message}`);
} finally {
  await database.close();
}
process.exit(code);
