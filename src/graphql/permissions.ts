import { GraphQLError } from "graphql";
import { deny, shield } from "graphql-shield";
import type { IRules } from "graphql-shield";
import { claimPermissions } from "../modules/claims/permissions.js";
import { claimWritePermissions } from "../modules/claims/write-permissions.js";
import { enterprisePermissions, enterpriseWritePermissions } from "../modules/enterprises/permissions.js";
import { fundPermissions } from "../modules/funds/permissions.js";
import { policyPermissions, policyWritePermissions } from "../modules/policies/permissions.js";
import { compliancePermissions } from "../modules/compliance/permissions.js";
import { preventionPermissions } from "../modules/prevention/permissions.js";
import { preventionWritePermissions } from "../modules/prevention/write-permissions.js";
import { fundWritePermissions } from "../modules/funds/write-permissions.js";
import { registryPermissions } from "../modules/registry/permissions.js";
import { rulePermissions } from "../modules/rules/permissions.js";
import { coveragePermissions } from "../modules/coverage/permissions.js";
import { reportingPermissions } from "../modules/reporting/permissions.js";
import { assessmentPermissions } from "../modules/assessment/permissions.js";
import { auditPermissions } from "../modules/audit/permissions.js";

const modules = [
  registryPermissions, enterprisePermissions, enterpriseWritePermissions, policyPermissions, policyWritePermissions, claimPermissions, preventionPermissions, fundPermissions, compliancePermissions,
  preventionWritePermissions, fundWritePermissions,
  rulePermissions,
  claimWritePermissions,
  coveragePermissions,
  reportingPermissions,
  assessmentPermissions,
  auditPermissions,
];

/** Each module's rule table, merged type by type (Query and Mutation collect every module's fields). */
export function mergedRules(): Record<string, any> {
  const merged: Record<string, any> = {};
  for (const m of modules) {
    for (const [type, rules] of Object.entries(m)) {
      if (merged[type] && typeof merged[type] === "object" && typeof rules === "object" && !("resolve" in (rules as object))) {
        merged[type] = { ...merged[type], ...rules };
      } else if (merged[type]) {
        throw new Error(`permissions for ${type} defined twice`);
      } else merged[type] = rules;
    }
  }
  return merged;
}

/**
 * deny is the fallback: a field without a rule is private until a module's table opens it.
 * allowExternalErrors keeps resolvers' own errors (BAD_USER_INPUT, NOT_FOUND …) instead of
 * replacing them with the fallback error.
 */
export const FIELD_RULE_OPTIONS = {
  fallbackRule: deny,
  fallbackError: () => new GraphQLError("无权访问该字段 / Forbidden: you may not read this field", { extensions: { code: "FORBIDDEN" } }),
};

/** The same rules as graphql-shield middleware on every field (the hub serves them through field-rules.ts). */
export function permissions() {
  return shield(mergedRules() as IRules, { ...FIELD_RULE_OPTIONS, allowExternalErrors: true });
}
