import "reflect-metadata";
import { GraphQLSchema, isIntrospectionType, isObjectType, printSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { buildSchema } from "type-graphql";
import { AccidentResolver, ClaimantResolver, ClaimResolver, EnterpriseClaimsResolver, PolicyClaimsResolver } from "../modules/claims/resolver.js";
import { EnterpriseResolver } from "../modules/enterprises/resolver.js";
import { FundEntryResolver, PolicyFundsResolver } from "../modules/funds/resolver.js";
import { CoinsuranceShareResolver, EnterprisePoliciesResolver, InsuredEnterpriseResolver, PolicyResolver } from "../modules/policies/resolver.js";
import { EnterprisePreventionResolver, HazardResolver, PolicyPreventionResolver, PreventionServiceResolver } from "../modules/prevention/resolver.js";
import { ViewerResolver } from "../modules/viewer/resolver.js";
import { ComplianceFindingResolver, EnterpriseFindingsResolver, PolicyFindingsResolver } from "../modules/compliance/resolver.js";
import { PolicyMutations } from "../modules/policies/mutations.js";
import { HazardKeyResolver, PreventionMutations } from "../modules/prevention/mutations.js";
import { FundMutations } from "../modules/funds/mutations.js";
import { EnterpriseMutations } from "../modules/enterprises/mutations.js";
import { ClaimMutations } from "../modules/claims/mutations.js";
import { EnterpriseRateBandResolver, RuleProfileResolver } from "../modules/rules/resolver.js";
import { CoverageResolver } from "../modules/coverage/resolver.js";
import { ReportingResolver } from "../modules/reporting/resolver.js";
import { AssessmentResolver } from "../modules/assessment/resolver.js";
import { AuditLogResolver } from "../modules/audit/resolver.js";
import { fieldRuleMiddleware } from "./field-rules.js";
import type { PlanConfig } from "./plan/compile.js";
import { FIELD_RULE_OPTIONS, fieldRules, permissions } from "./permissions.js";

const resolvers = [
  ViewerResolver,
  EnterpriseResolver,
  PolicyResolver, InsuredEnterpriseResolver, CoinsuranceShareResolver, EnterprisePoliciesResolver,
  ClaimResolver, ClaimantResolver, AccidentResolver, PolicyClaimsResolver, EnterpriseClaimsResolver,
  PreventionServiceResolver, HazardResolver, PolicyPreventionResolver, EnterprisePreventionResolver,
  FundEntryResolver, PolicyFundsResolver,
  ComplianceFindingResolver, PolicyFindingsResolver, EnterpriseFindingsResolver,
  PolicyMutations,
  PreventionMutations, HazardKeyResolver, FundMutations,
  EnterpriseMutations,
  ClaimMutations,
  RuleProfileResolver, EnterpriseRateBandResolver,
  CoverageResolver,
  ReportingResolver,
  AssessmentResolver,
  AuditLogResolver,
] as const;

let base: Promise<GraphQLSchema> | undefined;

/** The type-graphql schema without field rules: what schema/schema.graphql records. */
export function buildBaseSchema(): Promise<GraphQLSchema> {
  base ??= buildSchema({ resolvers: resolvers as any, validate: false });
  return base;
}

/**
 * The served schema: type-graphql + the field rules permissions.ts derives from the permission source, applied by
 * field-rules.ts only where a rule can refuse and synchronously for the role rules (issue 6: shield
 * wrapping every field in async middleware cost a Promise per field of every row).
 */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  const schema = await buildBaseSchema();
  const served = applyMiddleware(schema, fieldRuleMiddleware(schema, fieldRules(), FIELD_RULE_OPTIONS));
  plans.set(served, { plain: plainFields(schema), ruled: true });
  return served;
}

/**
 * The type-graphql schema with NO field rules, read planner included: only for the benchmark's
 * "field rules off" measurement (issue 6), never served by the hub.
 */
export async function buildUnruledSchemaForBench(): Promise<GraphQLSchema> {
  const schema = await buildBaseSchema();
  const copy = new GraphQLSchema(schema.toConfig());
  plans.set(copy, { plain: plainFields(schema), ruled: false });
  return copy;
}

const plans = new WeakMap<GraphQLSchema, PlanConfig>();

/** The read planner's configuration for a served schema (src/graphql/plan); none for other schemas. */
export function planConfigOf(schema: GraphQLSchema): PlanConfig | undefined {
  return plans.get(schema);
}

/** "Type.field" of every field without a resolver: graphql-js reads the row's property as is. */
function plainFields(schema: GraphQLSchema): Set<string> {
  const out = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    for (const f of Object.values(type.getFields())) if (!f.resolve) out.add(`${type.name}.${f.name}`);
  }
  return out;
}

/** The former served schema, graphql-shield on every field: kept for the benchmark's before/after. */
export async function buildShieldSchema(): Promise<GraphQLSchema> {
  return applyMiddleware(await buildBaseSchema(), permissions());
}

export async function printHubSdl(): Promise<string> {
  return printSchema(await buildBaseSchema()) + "\n";
}
