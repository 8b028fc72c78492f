import { allow, rule } from "graphql-shield";
import type { Role } from "../domain/vocabulary.js";
import type { Context } from "./context.js";

/**
 * Field rules: who may read a field of a row they can already see (rows are scoped in SQL by
 * src/auth/scope.ts). They depend only on the caller, so shield caches each once per request.
 */
const roles = (...allowed: Role[]) => rule({ cache: "contextual" })((_p, _a, ctx: Context) => allowed.includes(ctx.viewer.role));

/** Anyone, PUBLIC included. */
export const anyone = allow;
/** Any signed-in caller; what they see is narrowed by row scoping. */
export const member = roles("COMMITTEE_OFFICE", "SECTOR_DEPARTMENT", "FINANCIAL_REGULATOR", "INSURER", "SERVICE_ORG", "ENTERPRISE");
/** Who reads trade secrets (premium, rates, commission, fund amounts): the committee office, the financial regulator, the policy's insurers and the enterprise itself. */
export const TRADE_SECRET_ROLES: readonly Role[] = ["COMMITTEE_OFFICE", "FINANCIAL_REGULATOR", "INSURER", "ENTERPRISE"];
/** Trade secrets: see TRADE_SECRET_ROLES (rows are scoped, so an insurer reads only its own policies' figures). */
export const tradeSecret = roles(...TRADE_SECRET_ROLES);
/** Contact details: agencies that supervise the enterprise (row scope = jurisdiction) and the enterprise itself. */
export const contactDetails = roles("COMMITTEE_OFFICE", "SECTOR_DEPARTMENT", "ENTERPRISE");
/** Writers by role; whether the record is theirs to write is checked by the command itself. */
export const insurer = roles("INSURER");
export const serviceWriter = roles("INSURER", "SERVICE_ORG");
export const department = roles("SECTOR_DEPARTMENT", "COMMITTEE_OFFICE");
