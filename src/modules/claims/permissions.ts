import type { Viewer } from "../../auth/viewer.js";
import { member } from "../../graphql/rules.js";
import { maskIdNumber, maskName } from "../../rules/identifiers.js";

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
