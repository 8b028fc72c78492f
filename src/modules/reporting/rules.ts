import { rule } from "graphql-shield";
import type { Role } from "../../domain/vocabulary.js";
import type { Context } from "../../graphql/context.js";

export { department } from "../../graphql/rules.js";

const roles = (...allowed: Role[]) => rule({ cache: "contextual" })((_p, _a, ctx: Context) => allowed.includes(ctx.viewer.role));

export const rules = {
  /** committee office, sector department, financial regulator */
  agency: roles("COMMITTEE_OFFICE", "SECTOR_DEPARTMENT", "FINANCIAL_REGULATOR"),
  committeeOffice: roles("COMMITTEE_OFFICE"),
};
