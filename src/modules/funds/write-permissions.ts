import { insurer } from "../../graphql/rules.js";

/** Only an insurer books entries, and only in its own ledger (the command checks the policy). */
export const fundWritePermissions = {
  Mutation: { recordFundEntry: insurer },
  FundEntryRecordResult: insurer,
};
