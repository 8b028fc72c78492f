/**
 * The agencies and the quarterlyReport and filePolicies requests of the suite, and canonical() for
 * comparing answers. The read shapes (a)–(h), written for the hub, PostGraphile and the floor, are
 * in shapes.ts.
 */
import { getNamedType, isLeafType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from "graphql";

/** 500000-EMERGENCY (重庆市应急管理局): the sector department whose read is measured. */
export const DEPARTMENT = { id: "500000-EMERGENCY", regionPrefix: "50", sectors: ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"] };
export const COMMITTEE_OFFICE = "500000-COMMITTEE_OFFICE";
/** A finished quarter inside the data set's two years. */
export const REPORT_PERIOD = { year: 2025, quarter: 3 };

/** Every leaf of a type as a selection set, so the report query asks for every figure there is. */
export function fullSelection(schema: GraphQLSchema, typeName: string): string {
  const walk = (t: GraphQLObjectType, depth: number): string => {
    if (depth > 6) throw new Error(`selection too deep at ${t.name}`);
    return Object.values(t.getFields())
      .filter((f) => !f.args.length)
      .map((f) => {
        const named = getNamedType(f.type);
        if (isLeafType(named)) return f.name;
        if (isObjectType(named)) return `${f.name} { ${walk(named, depth + 1)} }`;
        return "";
      })
      .filter(Boolean)
      .join(" ");
  };
  const t = schema.getType(typeName);
  if (!isObjectType(t)) throw new Error(`no object type ${typeName}`);
  return walk(t, 0);
}

export function hubReportQuery(schema: GraphQLSchema): string {
  const figures = fullSelection(schema, "QuarterlyFigures");
  return `query BenchReport($agencyId: String!, $year: Int!, $quarter: Int!) {
  quarterlyReport(agencyId: $agencyId, year: $year, quarter: $quarter) { agencyId withheld overall { ${figures} } bySector { ${figures} } byRegion { ${figures} } }
}`;
}

export const INGEST_MUTATION = `mutation BenchIngest($inputs: [PolicyFilingInput!]!) {
  filePolicies(inputs: $inputs) { idempotencyKey accepted replayed errorCode errors { field rule message } findings { ruleCode } }
}`;

// ---------------------------------------------------------------------------------------------
// comparing answers

/** Arrays sorted and keys ordered, so that ties in ORDER BY never make equal answers differ. */
export function canonical(x: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm).map((e) => [JSON.stringify(e), e] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, e]) => e);
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(norm(x));
}
