import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import { member } from "../../graphql/rules.js";
import { maskIdNumber, maskIdNumberSql, maskName, maskNameSql } from "../../rules/identifiers.js";

export const claimPermissions = {
  Query: { claims: member, accidents: member },
  Claim: member,
  Claimant: member,
  ClaimPayment: member,
  Accident: member,
  ClaimConnection: member,
  ClaimEdge: member,
  AccidentConnection: member,
  AccidentEdge: member,
};

/** Claimants' names and ID numbers are personal data: only the insurer handling the claim reads them whole. */
const handles = (v: Viewer, c: { insurerUscc: string }) => v.role === "INSURER" && v.org === c.insurerUscc;

export const claimantField = {
  name: (v: Viewer, c: { name: string; insurerUscc: string }) => (handles(v, c) ? c.name : maskName(c.name)),
  idNumber: (v: Viewer, c: { idNumber: string; insurerUscc: string }) => (handles(v, c) ? c.idNumber : maskIdNumber(c.idNumber)),
};

/** claimantField in SQL, for the read planner: `insurerUscc` is the claim's handling insurer. */
const handlesSql = (v: Viewer, insurerUscc: AnyColumn): SQL | null => (v.role === "INSURER" && v.org ? sql`${insurerUscc} = ${v.org}` : null);
const wholeFor = (v: Viewer, insurerUscc: AnyColumn, whole: AnyColumn, masked: SQL): SQL => {
  const h = handlesSql(v, insurerUscc);
  return h ? sql`(case when ${h} then ${whole} else ${masked} end)` : masked;
};
export const claimantFieldSql = {
  name: (v: Viewer, c: { name: AnyColumn; insurerUscc: AnyColumn }) => wholeFor(v, c.insurerUscc, c.name, maskNameSql(sql`${c.name}`)),
  idNumber: (v: Viewer, c: { idNumber: AnyColumn; insurerUscc: AnyColumn }) => wholeFor(v, c.insurerUscc, c.idNumber, maskIdNumberSql(sql`${c.idNumber}`)),
};
