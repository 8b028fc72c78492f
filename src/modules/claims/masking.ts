import type { Viewer } from "../../auth/viewer.js";
import { maskIdNumber, maskName } from "../../rules/identifiers.js";
import { outcome } from "../access.js";

/**
 * Claimants' names and ID numbers as the permission source says the viewer gets them (Claimant.name
 * and idNumber are CLAIMANT_PII): whole where ALLOWED, whole for the handling insurer where HANDLER,
 * masked otherwise.
 */
function whole(v: Viewer, field: "name" | "idNumber", c: { insurerUscc: string }): boolean {
  const o = outcome("Claimant", field, v.role);
  return o === "ALLOWED" || (o === "HANDLER" && v.role === "INSURER" && v.org === c.insurerUscc);
}

export const claimantField = {
  name: (v: Viewer, c: { name: string; insurerUscc: string }) => (whole(v, "name", c) ? c.name : maskName(c.name)),
  idNumber: (v: Viewer, c: { idNumber: string; insurerUscc: string }) => (whole(v, "idNumber", c) ? c.idNumber : maskIdNumber(c.idNumber)),
};
