import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { regionPrefix } from "../domain/regions.js";
import type { Sector } from "../domain/vocabulary.js";
import { agencies, agencySectors } from "../../schema/index.js";
import type { Claims } from "./token.js";
import type { Viewer } from "./viewer.js";

type Jurisdiction = NonNullable<Viewer["jurisdiction"]>;

/**
 * An agency's jurisdiction changes only when the registry does; caching it for a minute keeps the
 * per-request statement count down to what the query itself needs.
 */
export class JurisdictionCache {
  private entries = new Map<string, { at: number; value: Jurisdiction | null }>();
  constructor(private db: Db, private ttlMs = 60_000) {}

  async viewerFor(claims: Claims): Promise<Viewer> {
    const agencyRole = claims.role === "COMMITTEE_OFFICE" || claims.role === "SECTOR_DEPARTMENT" || claims.role === "FINANCIAL_REGULATOR";
    const jurisdiction = agencyRole && claims.org ? await this.lookup(claims.org, claims.role === "SECTOR_DEPARTMENT") : null;
    return { ...claims, jurisdiction };
  }

  private async lookup(agencyId: string, bySector: boolean): Promise<Jurisdiction | null> {
    const hit = this.entries.get(agencyId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const rows = await this.db
      .select({ regionCode: agencies.regionCode, sector: agencySectors.sector })
      .from(agencies)
      .leftJoin(agencySectors, eq(agencySectors.agencyId, agencies.id))
      .where(eq(agencies.id, agencyId));
    const value: Jurisdiction | null = rows.length
      ? {
          regionCode: rows[0].regionCode,
          regionPrefix: regionPrefix(rows[0].regionCode),
          // a sector department with no sectors sees nothing, never everything
          sectors: bySector ? (rows.map((r) => r.sector).filter(Boolean) as Sector[]) : "ALL",
        }
      : null;
    this.entries.set(agencyId, { at: Date.now(), value });
    return value;
  }
}
