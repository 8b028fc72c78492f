import "reflect-metadata";
import { signToken } from "./auth/token.js";
import type { Role } from "./domain/vocabulary.js";
import { loadConfig, type Config } from "./config.js";
import { openDatabase } from "./db/client.js";
import { isEmpty, seedDemo } from "./demo/generate.js";
import { DEMO, DEMO_TODAY } from "./demo/ids.js";
import { recomputeFindings, runSweeps } from "./modules/compliance/recompute.js";

const SWEEP_INTERVAL_MS = 3600_000;
import { buildHubSchema } from "./graphql/schema.js";
import { createLogger } from "./http/log.js";
import { startHttpServer } from "./http/server.js";

const DEMO_TOKENS: { label: string; role: Role; org: string }[] = [
  { label: "安委办 / committee office", role: "COMMITTEE_OFFICE", org: DEMO.committeeOffice },
  { label: "行业主管部门 / sector department", role: "SECTOR_DEPARTMENT", org: DEMO.department },
  { label: "金融监管 / financial regulator", role: "FINANCIAL_REGULATOR", org: DEMO.financialRegulator },
  { label: "保险机构 / insurer", role: "INSURER", org: DEMO.insurer },
  { label: "服务机构 / service org", role: "SERVICE_ORG", org: DEMO.serviceOrg },
  { label: "企业 / enterprise", role: "ENTERPRISE", org: DEMO.enterprise },
];

async function banner(config: Config, url: string, kind: string, showTokens: boolean) {
  const lines = [
    "安责险数据共享枢纽 / anze-hub",
    `  GraphiQL:  ${url}/graphiql`,
    `  GraphQL:   ${url}/graphql`,
    `  数据库 / database: ${kind === "pglite" ? `embedded PGlite (${config.dataDir})` : "PostgreSQL"}${config.replicaUrls.length ? `, ${config.replicaUrls.length} 个只读副本 / read replica(s)` : ""}`,
  ];
  if (config.demoSecret) lines.push("", "  !!! 演示密钥，仅供开发 / demo secret, development only — set HUB_JWT_SECRET !!!");
  if (showTokens) {
    lines.push("", "  演示令牌（30 天）/ demo tokens (30 days): Headers → {\"Authorization\": \"Bearer <token>\"}");
    for (const t of DEMO_TOKENS) {
      const token = await signToken(config.jwtSecret, { sub: `demo-${t.role.toLowerCase()}`, role: t.role, org: t.org, purpose: "演示 / demo" }, "30d");
      lines.push(`  ${t.label}  org=${t.org}`, `    ${token}`);
    }
  }
  console.log(lines.join("\n"));
}

async function main() {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, replicaUrls: config.replicaUrls, dataDir: config.dataDir });
  await database.migrate();
  // the embedded database is the demo: give it data on first start; a real PostgreSQL is never touched
  const demo = database.kind === "pglite" && !config.production;
  if (demo && (await isEmpty(database.db))) {
    console.log("首次启动，写入演示数据 / first start: loading the demo data …");
    await seedDemo(database.db);
    await recomputeFindings(database.db, new Date(`${DEMO_TODAY}T00:00:00+08:00`));
  }
  const sweep = () => runSweeps(database.db, new Date()).catch((e) => console.error(`定时合规检查失败 / compliance sweep failed: ${(e as Error).message}`));
  await sweep();
  const sweeps = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
  const schema = await buildHubSchema();
  // production: one JSON line per request on stdout, for the log collector; otherwise plain lines
  const logger = createLogger({ production: config.production });
  const server = await startHttpServer({ config, database, schema, logger });
  if (config.production) logger.info({ url: server.url, database: database.kind, replicas: config.replicaUrls.length }, "started");
  else await banner(config, server.url, database.kind, demo && !config.jwks);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1); // a second signal: stop waiting
    stopping = true;
    logger.info({ signal }, "正在停止，等待进行中的请求完成 / shutting down: finishing the requests in flight");
    clearInterval(sweeps);
    // the drain plugin stops accepting, lets requests in flight finish (up to 10 s), then Apollo stops
    await server.close();
    await database.close();
    logger.info("stopped");
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stop(signal).catch((e) => {
        console.error(e);
        process.exit(1);
      });
    });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
