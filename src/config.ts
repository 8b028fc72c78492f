/** Environment → one validated, typed config object. Nothing else reads process.env. */
export const DEMO_JWT_SECRET = "anze-hub-demo-secret-do-not-use-in-production";

export interface Config {
  port: number;
  databaseUrl: string | undefined;
  /** DATABASE_REPLICA_URLS: hot standbys of DATABASE_URL's primary; queries read there (src/db/replicas.ts) */
  replicaUrls: string[];
  dataDir: string;
  jwtSecret: string;
  jwks: string | undefined;
  production: boolean;
  introspection: boolean;
  /** true when the demo secret is in use (said loudly at start-up) */
  demoSecret: boolean;
  /** per caller token bucket (HUB_RATE_LIMIT, e.g. "600/min"); null = off */
  rateLimit: RateLimit | null;
  /** HUB_EXECUTION_TIMEOUT_MS: a GraphQL request answers an error after this long instead of hanging */
  executionTimeoutMs: number;
  /** HUB_ALLOW_PGLITE=on: production may run on the embedded PGlite (a single process, no pool) */
  allowPglite: boolean;
}

/** `limit` requests per `windowMs`, refilled continuously; a caller may burst up to `limit`. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, sec: 1000, second: 1000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 };

/** "600/min", "10/s", "5000/h", "100/10s"; "off" disables the limit. */
export function parseRateLimit(text: string): RateLimit | null {
  if (text.trim().toLowerCase() === "off") return null;
  const m = /^\s*(\d+)\s*\/\s*(\d*)\s*(s|sec|second|min|minute|h|hour)\s*$/i.exec(text);
  const limit = m ? Number(m[1]) : NaN;
  const windowMs = m ? Number(m[2] || 1) * UNIT_MS[m[3].toLowerCase()] : NaN;
  if (!m || !Number.isSafeInteger(limit) || limit < 1 || !(windowMs > 0)) {
    throw new Error(`HUB_RATE_LIMIT 格式应为 “次数/单位”，如 600/min、10/s、100/10s 或 off / HUB_RATE_LIMIT must look like 600/min, 10/s, 100/10s or off, got ${JSON.stringify(text)}`);
  }
  return { limit, windowMs };
}

/** DATABASE_REPLICA_URLS: comma-separated postgres:// URLs, only beside DATABASE_URL (a replica of what else?). */
export function parseReplicaUrls(text: string | undefined, databaseUrl: string | undefined): string[] {
  const urls = (text ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (urls.length > 0 && !databaseUrl) {
    throw new Error("DATABASE_REPLICA_URLS 须与 DATABASE_URL 一同设置（只读副本是该主库的热备）/ DATABASE_REPLICA_URLS needs DATABASE_URL: the replicas are hot standbys of that primary");
  }
  for (const u of urls) {
    let ok = false;
    try {
      const url = new URL(u);
      ok = (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      // not a URL at all
    }
    // the message never quotes the URL: it may carry a password
    if (!ok) throw new Error(`DATABASE_REPLICA_URLS 的第 ${urls.indexOf(u) + 1} 项不是 postgres:// 地址 / DATABASE_REPLICA_URLS item ${urls.indexOf(u) + 1} is not a postgres:// URL`);
  }
  return urls;
}

function onOff(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = env[name];
  if (v === undefined || v === "" || v === "off") return false;
  if (v === "on") return true;
  throw new Error(`${name} 只能是 on 或 off / ${name} must be on or off, got ${JSON.stringify(v)}`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === "production";
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const jwtSecret = env.HUB_JWT_SECRET ?? DEMO_JWT_SECRET;
  const demoSecret = jwtSecret === DEMO_JWT_SECRET;
  if (production && !env.HUB_JWT_SECRET && !env.HUB_JWKS) throw new Error("生产模式需要密钥 / NODE_ENV=production requires HUB_JWT_SECRET or HUB_JWKS");
  if (production && demoSecret) throw new Error("生产模式不能使用演示密钥 / the demo secret is refused in production");
  const databaseUrl = env.DATABASE_URL || undefined;
  const allowPglite = onOff(env, "HUB_ALLOW_PGLITE");
  if (production && !databaseUrl && !allowPglite) {
    throw new Error(
      "生产模式需要 PostgreSQL：请设置 DATABASE_URL；内嵌 PGlite 只有单个连接、不能多进程共享，确需使用请设置 HUB_ALLOW_PGLITE=on / " +
        "NODE_ENV=production needs PostgreSQL: set DATABASE_URL. The embedded PGlite is a single connection in one process " +
        "(no pool, no second hub process, no replicas); set HUB_ALLOW_PGLITE=on to run on it anyway",
    );
  }
  const timeoutText = env.HUB_EXECUTION_TIMEOUT_MS ?? "15000";
  const executionTimeoutMs = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText.trim()) || !Number.isSafeInteger(executionTimeoutMs) || executionTimeoutMs < 1) {
    throw new Error(`HUB_EXECUTION_TIMEOUT_MS 应为正整数（毫秒）/ HUB_EXECUTION_TIMEOUT_MS must be a positive number of milliseconds, got ${JSON.stringify(timeoutText)}`);
  }
  return {
    port,
    databaseUrl,
    replicaUrls: parseReplicaUrls(env.DATABASE_REPLICA_URLS, databaseUrl),
    dataDir: env.HUB_DATA_DIR ?? "./.anze-data",
    jwtSecret,
    jwks: env.HUB_JWKS || undefined,
    production,
    introspection: !production || env.HUB_INTROSPECTION === "on",
    demoSecret,
    rateLimit: parseRateLimit(env.HUB_RATE_LIMIT ?? "600/min"),
    executionTimeoutMs,
    allowPglite,
  };
}
