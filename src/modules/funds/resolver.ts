import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../enterprises/types.js";
import { Policy } from "../policies/types.js";
import type { PolicyRow } from "../policies/service.js";
import { listFundEntries } from "./service.js";
import { FundEntry, FundEntryConnection, FundEntryFilter } from "./types.js";

@Resolver(() => FundEntry)
export class FundEntryResolver {
  @Query(() => FundEntryConnection, { description: "事故预防费用台账 / prevention-fund ledger entries in your scope" })
  fundEntries(@Arg("filter", () => FundEntryFilter, { nullable: true }) filter: FundEntryFilter | undefined, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listFundEntries(ctx.db, ctx.viewer, filter, page);
  }
}

/** policy → ledger entries */
@Resolver(() => Policy)
export class PolicyFundsResolver {
  @FieldResolver(() => [FundEntry], { description: "事故预防费用台账 / prevention-fund ledger" })
  fundEntries(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.fundEntriesOfPolicy.load(p.id);
  }
}
