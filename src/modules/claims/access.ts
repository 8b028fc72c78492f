import type { AccessSlice } from "../../auth/audiences.js";

/** Claims and accidents: claimants' names and ID numbers are whole only for the handling insurer. */
export const claimAccess: AccessSlice = {
  read: {
    Query: { MEMBERS: "claims accidents" },
    Accident: { MEMBERS: "id enterpriseUscc occurredAt deaths seriousInjuries directLoss grade description enterprise" },
    Claim: {
      MEMBERS:
        "id claimRef insurerUscc enterpriseUscc status reportedAt assessedAt settledAt rejectedAt rejectionReason reserve settledAmount " +
        "policy enterprise insurer accident claimants payments",
    },
    Claimant: { MEMBERS: "kind injury", CLAIMANT_PII: "name idNumber" },
    ClaimPayment: { MEMBERS: "paymentRef kind amount paidAt" },
    ClaimConnection: { MEMBERS: "edges pageInfo totalCount" },
    ClaimEdge: { MEMBERS: "node cursor" },
    AccidentConnection: { MEMBERS: "edges pageInfo totalCount" },
    AccidentEdge: { MEMBERS: "node cursor" },
    ClaimResult: { INSURERS: "idempotencyKey replayed claim" },
    ClaimPaymentResult: { INSURERS: "idempotencyKey replayed claim payment" },
    AccidentRecordResult: { DEPARTMENTS: "idempotencyKey replayed accident" },
  },
  write: {
    reportClaim: { callers: "INSURERS", owns: "调用方是保单的主承保机构（共保机构不报送理赔） / the caller is the policy's lead insurer (co-insurers do not push claims)" },
    assessClaim: { callers: "INSURERS", owns: "调用方是保单的主承保机构 / the caller is the policy's lead insurer" },
    settleClaim: { callers: "INSURERS", owns: "调用方是保单的主承保机构 / the caller is the policy's lead insurer" },
    recordClaimPayment: { callers: "INSURERS", owns: "调用方是保单的主承保机构 / the caller is the policy's lead insurer" },
    recordAccident: {
      callers: "DEPARTMENTS",
     
      owns: "事故单位在本部门辖区且属本部门主管行业 / the enterprise is within the department's jurisdiction",
    },
  },
  rows: {
    Claim: {
      COMMITTEE_OFFICE: "of an enterprise it sees",
      SECTOR_DEPARTMENT: "of an enterprise it sees",
      FINANCIAL_REGULATOR: "of an enterprise it sees",
      INSURER: "under a policy it lead- or co-insures",
      SERVICE_ORG: "none: prevention work needs no claims, claimants or payments",
      ENTERPRISE: "its own",
    },
    Accident: {
      COMMITTEE_OFFICE: "of an enterprise it sees",
      SECTOR_DEPARTMENT: "of an enterprise it sees",
      FINANCIAL_REGULATOR: "of an enterprise it sees",
      INSURER: "of an enterprise it sees",
      SERVICE_ORG: "of an enterprise it sees: accidents are what prevention work targets",
      ENTERPRISE: "its own",
    },
  },
};
