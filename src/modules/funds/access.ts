import type { AccessSlice } from "../../auth/audiences.js";

/** The prevention-fund ledger: that an entry exists is not secret, its amount is. */
export const fundAccess: AccessSlice = {
  read: {
    Query: { MEMBERS: "fundEntries" },
    FundEntry: { MEMBERS: "id entryRef insurerUscc kind category bookedAt", TRADE_SECRET: "amount" },
    FundEntryConnection: { MEMBERS: "edges pageInfo totalCount" },
    FundEntryEdge: { MEMBERS: "node cursor" },
    FundEntryRecordResult: { INSURERS: "idempotencyKey replayed entry findings" },
  },
  write: {
    recordFundEntry: { callers: "INSURERS", owns: "记入调用方自己的台账；所涉保单由其承保 / booked in the caller's own ledger, against a policy it insures" },
  },
  rows: {
    FundEntry: {
      COMMITTEE_OFFICE: "booked against a policy it sees",
      SECTOR_DEPARTMENT: "booked against a policy it sees",
      FINANCIAL_REGULATOR: "booked against a policy it sees",
      INSURER: "its own ledger",
      SERVICE_ORG: "none: the ledger is the insurer's",
      ENTERPRISE: "booked against a policy insuring it",
    },
  },
};
