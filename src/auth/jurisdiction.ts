import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { regionPrefix } from "../domain/regions.js";
import type { Role, Sector } from "../domain/vocabulary.js";
import { AuthError, type Claims } from "./token.js";
import type { Viewer } from "./viewer.js";

type Jurisdiction = NonNullable<Viewer["jurisdiction"]>;

/**
 * The kind of registered organisation each role's `org` must name. A token is a claim by its issuer;
 * the registry is ours: a `SECTOR_DEPARTMENT` token naming the financial regulator, or an `INSURER`
 * token naming an enterprise, is refused (401) before anything is read, whatever its signature.
 */
export const ORG_KIND: Readonly<Record<Exclude<Role, "PUBLIC">, readonly [zh: string, en: string]>> = {
  COMMITTEE_OFFICE: ["安委会办公室", "a committee office (agency of kind COMMITTEE_OFFICE)"],
  FINANCIAL_REGULATOR: ["金融监管局", "a financial regulator (agency of kind FINANCIAL_REGULATOR)"],
  SECTOR_DEPARTMENT: ["行业主管部门或乡镇", "a sector department or township (agency of any other kind)"],
  INSURER: ["登记的保险机构", "a registered insurer (its USCC)"],
  SERVICE_ORG: ["登记的服务机构", "a registered service organisation (its USCC)"],
  ENTERPRISE: ["登记的生产经营单位", "a registered enterprise (its USCC)"],
};

/** Whether a registry row of this kind may act in this role. */
function kindFits(role: Exclude<Role, "PUBLIC">, table: string, agencyKind: string | null): boolean {
  switch (role) {
    case "COMMITTEE_OFFICE":
    case "FINANCIAL_REGULATOR":
      return table === "agency" && agencyKind === role;
    case "SECTOR_DEPARTMENT":
      return table === "agency" && agencyKind !== "COMMITTEE_OFFICE" && agencyKind !== "FINANCIAL_REGULATOR";
    case "INSURER":
      return table === "insurer";
    case "SERVICE_ORG":
      return table === "service_org";
    case "ENTERPRISE":
      return table === "enterprise";
  }
}

type Identity = { ok: true; jurisdiction: Jurisdiction | null } | { ok: false; reason: string };

/**
 * Turns verified claims into a Viewer: checks that `org` is a registered organisation of the kind the
 * role requires and, for agencies, looks up the jurisdiction. An organisation's kind and jurisdiction
 * change only when the registry does, so the answer is cached for a minute, keyed by role AND org (the
 * answer depends on both: a cache keyed by org alone let one mislabelled token change what the real
 * agency saw).
 */
export class JurisdictionCache {
  private entries = new Map<string, { at: number; value: Identity }>();
  constructor(private db: Db, private ttlMs = 60_000) {}

  async viewerFor(claims: Claims): Promise<Viewer> {
    if (claims.role === "PUBLIC" || !claims.org) throw new AuthError("令牌缺少 org / token has no org claim");
    const id = await this.lookup(claims.role, claims.org);
    if (!id.ok) throw new AuthError(id.reason);
    return { ...claims, jurisdiction: id.jurisdiction };
  }

  private async lookup(role: Exclude<Role, "PUBLIC">, org: string): Promise<Identity> {
    const cacheKey = `${role}\u0000${org}`;
    const hit = this.entries.get(cacheKey);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    // one statement: which registry tables know this id, and an agency's kind, region and sectors
    const list = ((await this.db.execute(sql`
      select 'agency' as tbl, a.kind, a.region_code as "regionCode",
             coalesce((select array_agg(s.sector order by s.sector) from agency_sectors s where s.agency_id = a.id), '{}') as sectors
        from agencies a where a.id = ${org}
      union all select 'insurer', null, null, null from insurers where uscc = ${org}
      union all select 'service_org', null, null, null from service_orgs where uscc = ${org}
      union all select 'enterprise', null, null, null from enterprises where uscc = ${org}`)) as unknown as {
      rows: { tbl: string; kind: string | null; regionCode: string | null; sectors: string[] | string | null }[];
    }).rows;
    const match = list.find((r) => kindFits(role, r.tbl, r.kind));
    let value: Identity;
    if (!match) {
      value = {
        ok: false,
        reason: `令牌的 org “${org}” 不是角色 ${role} 所要求的${ORG_KIND[role][0]} / the token's org "${org}" is not ${ORG_KIND[role][1]}, as role ${role} requires`,
      };
    } else if (match.tbl === "agency") {
      const sectors = parseArray(match.sectors);
      value = {
        ok: true,
        jurisdiction: {
          regionCode: match.regionCode!,
          regionPrefix: regionPrefix(match.regionCode!),
          // a sector department with no sectors sees nothing, never everything
          sectors: role === "SECTOR_DEPARTMENT" ? (sectors as Sector[]) : "ALL",
        },
      };
    } else value = { ok: true, jurisdiction: null };
    this.entries.set(cacheKey, { at: Date.now(), value });
    return value;
  }
}

/** text[] as node-postgres returns it (an array) or as PGlite may (a '{a,b}' literal). */
function parseArray(v: string[] | string | null): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
}
