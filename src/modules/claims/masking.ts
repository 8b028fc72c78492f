import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import { maskIdNumber, maskIdNumberSql, maskName, maskNameSql } from "../../rules/identifiers.js";
import { outcome } from "../access.js";

/**
 * Claimants' names and ID numbers as the permission source says the viewer gets them (Claimant.name
 * and idNumber are CLAIMANT_PII): whole where ALLOWED, whole for the handling insurer where HANDLER,
 * masked otherwise. Written twice, side by side: in JavaScript for the resolvers and in SQL for the
 * read planner (test/graphql/read-plan.test.ts requires equal answers).
 */
type Whole = "all" | "handler" | "none";

function whole(v: Viewer, field: "name" | "idNumber"): Whole {
  const o = outcome("Claimant", field, v.role);
  if (o === "ALLOWED") return "all";
  return o === "HANDLER" && v.role === "INSURER" && v.org ? "handler" : "none";
}

const wholeHere = (v: Viewer, field: "name" | "idNumber", c: { insurerUscc: string }) => {
  const w = whole(v, field);
  return w === "all" || (w === "handler" && v.org === c.insurerUscc);
};

export const claimantField = {
  name: (v: Viewer, c: { name: string; insurerUscc: string }) => (wholeHere(v, "name", c) ? c.name : maskName(c.name)),
  idNumber: (v: Viewer, c: { idNumber: string; insurerUscc: string }) => (wholeHere(v, "idNumber", c) ? c.idNumber : maskIdNumber(c.idNumber)),
};

/** claimantField in SQL, for the read planner: `insurerUscc` is the claim's handling insurer. */
function wholeSql(v: Viewer, field: "name" | "idNumber", insurerUscc: AnyColumn, value: AnyColumn, masked: SQL): SQL {
  const w = whole(v, field);
  if (w === "all") return sql`${value}`;
  if (w === "handler") return sql`(case when ${insurerUscc} = ${v.org} then ${value} else ${masked} end)`;
  return masked;
}

export const claimantFieldSql = {
  name: (v: Viewer, c: { name: AnyColumn; insurerUscc: AnyColumn }) => wholeSql(v, "name", c.insurerUscc, c.name, maskNameSql(sql`${c.name}`)),
  idNumber: (v: Viewer, c: { idNumber: AnyColumn; insurerUscc: AnyColumn }) => wholeSql(v, "idNumber", c.insurerUscc, c.idNumber, maskIdNumberSql(sql`${c.idNumber}`)),
};
