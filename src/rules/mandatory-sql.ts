import { sql, type SQL } from "drizzle-orm";
import { regionPrefix } from "../domain/regions.js";
import { PROFILES, type RuleProfile } from "./profiles.js";

const textArray = (xs: readonly string[]) => sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;

/**
 * isMandatory() in SQL, for filters and reports over the enterprises table: mandatory sets unite
 * along a region's ancestry, so an enterprise is mandatory when any profile on its ancestry makes
 * its sector or one of its risk tags mandatory. Built from the same profiles as effectiveRules().
 *
 * `within`: a region prefix that every row the condition is evaluated on is already known to start
 * with (the query filters `region_code like within%`). Profiles of regions outside it can then never
 * apply and are left out, and the region test of a profile whose region contains it always holds
 * and is left out too: the same truth value on those rows, for less work per row.
 */
export function mandatoryCondition(profiles: readonly RuleProfile[] = PROFILES, table = "enterprises", within?: string): SQL {
  const sector = sql.raw(`"${table}"."sector"`);
  const tags = sql.raw(`"${table}"."risk_tags"`);
  const region = sql.raw(`"${table}"."region_code"`);
  const parts = profiles.flatMap((p) => {
    const sectors = p.mandatorySectors?.value ?? [];
    const riskTags = p.mandatoryTags?.value ?? [];
    if (!sectors.length && !riskTags.length) return [];
    const prefix = p.regionCode ? regionPrefix(p.regionCode) : null;
    if (within != null && prefix != null && !within.startsWith(prefix) && !prefix.startsWith(within)) return [];
    const what = sql.join(
      [sectors.length ? sql`${sector} = any(${textArray(sectors)})` : undefined, riskTags.length ? sql`${tags} && ${textArray(riskTags)}` : undefined].filter(
        (x): x is SQL => !!x,
      ),
      sql` or `,
    );
    const regionTest = prefix != null && !(within != null && within.startsWith(prefix));
    return [regionTest ? sql`(${region} like ${prefix + "%"} and (${what}))` : sql`(${what})`];
  });
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}
