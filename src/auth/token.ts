import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from "jose";
import { readFileSync } from "node:fs";
import type { Config } from "../config.js";
import { ROLES, type Role } from "../domain/vocabulary.js";

export interface Claims {
  sub: string;
  role: Role;
  org: string | null;
  purpose: string | null;
}

export class AuthError extends Error {}

export type Verifier = (token: string) => Promise<Claims>;

/** HS256 with HUB_JWT_SECRET, or RS256/ES256 against a JWKS file or URL in HUB_JWKS. */
export function makeVerifier(config: Pick<Config, "jwtSecret" | "jwks">): Verifier {
  const secret = new TextEncoder().encode(config.jwtSecret);
  let jwks: JWTVerifyGetKey | undefined;
  if (config.jwks) {
    jwks = /^https?:\/\//.test(config.jwks)
      ? createRemoteJWKSet(new URL(config.jwks))
      : createLocalJWKSet(JSON.parse(readFileSync(config.jwks, "utf8")));
  }
  // a token verified once is not verified again for VERIFIED_TTL_MS (nor after its exp): the same
  // caller sends the same token with every request, and the signature check was a visible share of
  // a planned read's CPU (issue 6)
  const verified = new Map<string, { claims: Claims; until: number }>();
  return async (token) => {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && now < hit.until) return hit.claims;
    if (hit) verified.delete(token);
    const claims = await verifyOnce(token);
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, { claims: claims.claims, until: Math.min(claims.exp * 1000, now + VERIFIED_TTL_MS) });
    return claims.claims;
  };

  async function verifyOnce(token: string): Promise<{ claims: Claims; exp: number }> {
    let payload;
    try {
      payload = jwks
        ? (await jwtVerify(token, jwks, { algorithms: ["RS256", "ES256"] })).payload
        : (await jwtVerify(token, secret, { algorithms: ["HS256"] })).payload;
    } catch (e) {
      throw new AuthError(`令牌无效 / invalid token: ${(e as Error).message}`);
    }
    const role = payload.role as Role;
    if (!ROLES.includes(role) || role === "PUBLIC") throw new AuthError(`令牌角色无效 / invalid role claim: ${String(payload.role)}`);
    if (typeof payload.sub !== "string" || !payload.sub) throw new AuthError("令牌缺少 sub / token has no sub claim");
    if (typeof payload.org !== "string" || !payload.org) throw new AuthError("令牌缺少 org / token has no org claim");
    if (payload.exp === undefined) throw new AuthError("令牌缺少 exp / token has no exp claim");
    return { claims: { sub: payload.sub, role, org: payload.org, purpose: typeof payload.purpose === "string" ? payload.purpose : null }, exp: payload.exp };
  }
}

/** How long a verified token is taken on trust (a key withdrawn from the JWKS stops working within it). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** Signs an HS256 token; `ttl` like "8h", "30m", "7d". */
export async function signToken(secret: string, claims: Omit<Claims, "purpose"> & { purpose?: string | null }, ttl = "8h"): Promise<string> {
  const body: Record<string, unknown> = { role: claims.role, org: claims.org };
  if (claims.purpose) body.purpose = claims.purpose;
  return new SignJWT(body)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(secret));
}
