import { sql, type SQL } from "drizzle-orm";
import { regionPrefix } from "../domain/regions.js";
import { PROFILES, type RuleProfile } from "./profiles.js";

const textArray = (xs: readonly string[]) => sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;

/**
 * isMandatory() in SQL, for filters and reports over the enterprises table: mandatory sets unite
 * along a region's ancestry, so an enterprise is mandatory when any profile on its ancestry makes
 * its sector or one of its risk tags mandatory. Built from the same profiles as effectiveRules().
 */
export function mandatoryCondition(profiles: readonly RuleProfile[] = PROFILES, table = "enterprises"): SQL {
  const sector = sql.raw(`"${table}"."sector"`);
  const tags = sql.raw(`"${table}"."risk_tags"`);
  const region = sql.raw(`"${table}"."region_code"`);
  const parts = profiles.flatMap((p) => {
    const sectors = p.mandatorySectors?.value ?? [];
    const riskTags = p.mandatoryTags?.value ?? [];
    if (!sectors.length && !riskTags.length) return [];
    const what = sql.join(
      [sectors.length ? sql`${sector} = any(${textArray(sectors)})` : undefined, riskTags.length ? sql`${tags} && ${textArray(riskTags)}` : undefined].filter(
        (x): x is SQL => !!x,
      ),
      sql` or `,
    );
    return [p.regionCode ? sql`(${region} like ${regionPrefix(p.regionCode) + "%"} and (${what}))` : sql`(${what})`];
  });
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}
