/** Environment → one validated, typed config object. Nothing else reads process.env. */
export const DEMO_JWT_SECRET = "anze-hub-demo-secret-do-not-use-in-production";

export interface Config {
  port: number;
  databaseUrl: string | undefined;
  replicaUrls: string[];
  dataDir: string;
  jwtSecret: string;
  jwks: string | undefined;
  production: boolean;
  introspection: boolean;
  /** true when the demo secret is in use (said loudly at start-up) */
  demoSecret: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === "production";
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const jwtSecret = env.HUB_JWT_SECRET ?? DEMO_JWT_SECRET;
  const demoSecret = jwtSecret === DEMO_JWT_SECRET;
  if (production && !env.HUB_JWT_SECRET && !env.HUB_JWKS) throw new Error("生产模式需要密钥 / NODE_ENV=production requires HUB_JWT_SECRET or HUB_JWKS");
  if (production && demoSecret) throw new Error("生产模式不能使用演示密钥 / the demo secret is refused in production");
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    replicaUrls: (env.DATABASE_REPLICA_URLS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    dataDir: env.HUB_DATA_DIR ?? "./.anze-data",
    jwtSecret,
    jwks: env.HUB_JWKS || undefined,
    production,
    introspection: !production || env.HUB_INTROSPECTION === "on",
    demoSecret,
  };
}
