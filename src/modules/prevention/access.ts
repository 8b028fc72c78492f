import type { AccessSlice } from "../../auth/audiences.js";

/** Prevention services and hazards: the service's cost is a trade secret. */
export const preventionAccess: AccessSlice = {
  read: {
    Query: { MEMBERS: "preventionServices hazards" },
    PreventionService: {
      MEMBERS: "id serviceRef insurerUscc enterpriseUscc kind performedAt place staff confirmedByEnterprise policy enterprise insurer serviceOrg hazards",
      TRADE_SECRET: "cost",
    },
    Hazard: { MEMBERS: "id seq enterpriseUscc description severity noticeDate deadline rectifiedAt status enterprise" },
    PreventionServiceConnection: { MEMBERS: "edges pageInfo totalCount" },
    PreventionServiceEdge: { MEMBERS: "node cursor" },
    HazardConnection: { MEMBERS: "edges pageInfo totalCount" },
    HazardEdge: { MEMBERS: "node cursor" },
    PreventionServiceRecordResult: { SERVICE_WRITERS: "idempotencyKey replayed service findings" },
    HazardRectificationResult: { SERVICE_WRITERS: "idempotencyKey replayed hazard findings" },
  },
  write: {
    recordPreventionService: {
      callers: "SERVICE_WRITERS",
     
      owns: "调用方是保单的主承保机构或保单约定的服务机构 / the caller is the policy's lead insurer or a service org the policy names",
    },
    recordHazardRectification: {
      callers: "SERVICE_WRITERS",
     
      owns: "调用方是服务所属保单的主承保机构或约定的服务机构 / the caller is the lead insurer or a named service org of the service's policy",
    },
  },
  rows: {
    PreventionService: {
      COMMITTEE_OFFICE: "of an enterprise it sees",
      SECTOR_DEPARTMENT: "of an enterprise it sees",
      FINANCIAL_REGULATOR: "of an enterprise it sees",
      INSURER: "under a policy it lead- or co-insures",
      SERVICE_ORG: "under a policy that names it",
      ENTERPRISE: "its own",
    },
  },
};
