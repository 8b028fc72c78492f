/**
 * npm run token -- --role INSURER --org <id> [--sub NAME] [--purpose TEXT] [--ttl 8h]
 * Prints an explanation on stderr and the token alone on the last line of stdout, so
 * `TOKEN=$(npm run -s token -- …)` works.
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { signToken, type Claims } from "../src/auth/token.js";
import { loadConfig } from "../src/config.js";
import { ROLES } from "../src/domain/vocabulary.js";

export const SIGNABLE_ROLES = ROLES.filter((r) => r !== "PUBLIC");

export const USAGE = `用法 / usage: npm run token -- --role <ROLE> --org <id> [--sub NAME] [--purpose TEXT] [--ttl 8h]
  --role     ${SIGNABLE_ROLES.join(" | ")}
  --org      部门标识或统一社会信用代码 / agency id (e.g. 500000-EMERGENCY) or USCC
  --sub      操作人 / acting person or system (default: cli)
  --purpose  用途，记入审计日志 / purpose, recorded in the audit log
  --ttl      有效期 / lifetime: <n>s | <n>m | <n>h | <n>d | <n>w (default 8h)`;

export class UsageError extends Error {}

export interface TokenRequest {
  claims: Omit<Claims, "purpose"> & { purpose: string | null };
  ttl: string;
}

/** argv (without node and script) → what to sign; throws UsageError on anything doubtful. */
export function parseTokenArgs(argv: string[]): TokenRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: "string" },
        org: { type: "string" },
        sub: { type: "string" },
        purpose: { type: "string" },
        ttl: { type: "string" },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const role = values.role?.toUpperCase();
  if (!role) throw new UsageError("缺少 --role / --role is required");
  if (role === "PUBLIC") throw new UsageError("PUBLIC 无需令牌：不带 Authorization 请求头即可 / PUBLIC needs no token: send no Authorization header");
  if (!(SIGNABLE_ROLES as readonly string[]).includes(role)) throw new UsageError(`未知角色 / unknown role: ${values.role}`);
  const org = values.org?.trim();
  if (!org) throw new UsageError("缺少 --org / --org is required");
  const ttl = values.ttl ?? "8h";
  if (!/^[1-9]\d*[smhdw]$/.test(ttl)) throw new UsageError(`有效期格式错误 / bad --ttl: ${ttl} (e.g. 30m, 8h, 7d)`);
  const sub = values.sub?.trim() || "cli";
  const purpose = values.purpose?.trim() || null;
  return { claims: { sub, role: role as TokenRequest["claims"]["role"], org, purpose }, ttl };
}

async function main(argv: string[]): Promise<number> {
  let request: TokenRequest;
  try {
    request = parseTokenArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (config.jwks) {
    // the hub then verifies RS256/ES256 only; an HS256 token from here would be refused
    console.error("已配置 HUB_JWKS，令牌应由身份提供方签发 / HUB_JWKS is configured: tokens come from your identity provider");
    return 1;
  }
  const token = await signToken(config.jwtSecret, request.claims, request.ttl);
  const { sub, role, org, purpose } = request.claims;
  console.error(
    `${role} 令牌 / token for org ${org}, sub ${sub}${purpose ? `, purpose “${purpose}”` : ""}, valid ${request.ttl}` +
      (config.demoSecret ? " — 演示密钥签发，仅供开发 / signed with the demo secret, development only" : ""),
  );
  console.log(token);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
