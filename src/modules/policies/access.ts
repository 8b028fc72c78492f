import type { AccessSlice } from "../../auth/audiences.js";

/** Policies: premiums and rates are the insurer's trade secrets. */
export const policyAccess: AccessSlice = {
  read: {
    Query: { MEMBERS: "policy policies" },
    Policy: {
      MEMBERS:
        "id policyNo insurerUscc startAt endAt cancelledAt cancelReason insuredHeadcount deathLimitPerPerson medicalLimitPerPerson thirdPartyLimit " +
        "coverageItems isGroupPolicy version claims fundEntries status insurer broker insuredEnterprises coinsurers servicePlan serviceOrgs versions " +
        "preventionServices hazards findings",
      TRADE_SECRET: "premium baseRate rateFloat commissionRatio preventionFundRatio",
    },
    InsuredEnterprise: { MEMBERS: "enterpriseUscc insuredHeadcount enterprise" },
    CoinsuranceShare: { MEMBERS: "insurerUscc share isLead insurer" },
    ServicePlanItem: { MEMBERS: "kind yearlyFrequency" },
    PolicyVersion: { MEMBERS: "version reason createdBy createdAt", TRADE_SECRET: "snapshot" },
    PolicyConnection: { MEMBERS: "edges pageInfo totalCount" },
    PolicyEdge: { MEMBERS: "node cursor" },
    InputProblem: { EVERYONE: "field rule message" },
    PolicyFilingResult: { INSURERS: "idempotencyKey accepted replayed policy findings errors errorCode" },
  },
  write: {
    filePolicy: { callers: "INSURERS", owns: "调用方是登记的保险机构，且是保单的主承保机构 / the caller is a registered insurer and the filing's lead insurer" },
    filePolicies: { callers: "INSURERS", owns: "同 filePolicy，逐张 / as filePolicy, filing by filing" },
    amendPolicy: { callers: "INSURERS", owns: "调用方是该保单的主承保机构 / the caller is the policy's lead insurer" },
    cancelPolicy: { callers: "INSURERS", owns: "调用方是该保单的主承保机构 / the caller is the policy's lead insurer" },
  },
  rows: {
    Policy: {
      COMMITTEE_OFFICE: "insuring an enterprise it sees",
      SECTOR_DEPARTMENT: "insuring an enterprise it sees",
      FINANCIAL_REGULATOR: "insuring an enterprise it sees",
      INSURER: "it is the lead insurer or a co-insurer",
      SERVICE_ORG: "the policy names it",
      ENTERPRISE: "insuring itself",
    },
  },
};
