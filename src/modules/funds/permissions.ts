import { member, tradeSecret } from "../../graphql/rules.js";

/** Fund amounts are trade secrets; that an entry exists is not. */
export const fundPermissions = {
  Query: { fundEntries: member },
  FundEntry: { "*": member, amount: tradeSecret },
  FundEntryConnection: member,
  FundEntryEdge: member,
};
