import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import { outcome } from "../access.js";

/**
 * Findings whose message quotes a trade secret (a policy's commission, prevention-fund ratio or rate
 * float; its premium and an insurer's fund spending). Where the permission source gives the viewer
 * ComplianceFinding.message MASKED (those who may not read trade secrets), the message names the
 * breach without the figures: otherwise the finding would reveal what Policy.premium and
 * FundEntry.amount hide.
 */
export const SECRET_FINDING_MESSAGES: Record<string, string> = {
  COMMISSION_ABOVE_MAX: "手续费比例超过规定上限 / commission above the cap",
  PREVENTION_RATIO_BELOW_FLOOR: "事故预防费用比例低于所在地下限 / prevention-fund ratio below the local floor",
  PREVENTION_RATIO_ABOVE_CAP: "事故预防费用比例高于上限 / prevention-fund ratio above the cap",
  RATE_FLOAT_OUT_OF_BAND: "费率浮动超出按事故记录允许的区间 / rate float outside the band its accident history allows",
  PREVENTION_SPEND_BELOW_FLOOR: "事故预防费用使用低于保费的规定比例 / prevention spending below the required share of the premium",
};

export const SECRET_NOTE = "（具体数值为商业秘密，不予显示）/ (the figures are trade secrets and not shown)";

const masked = (v: Viewer) => outcome("ComplianceFinding", "message", v.role) === "MASKED";

export const findingField = {
  message: (v: Viewer, f: { ruleCode: string; message: string }) =>
    f.ruleCode in SECRET_FINDING_MESSAGES && masked(v) ? SECRET_FINDING_MESSAGES[f.ruleCode] + SECRET_NOTE : f.message,
};

/** findingField in SQL, for the read planner. */
export const findingFieldSql = {
  message: (v: Viewer, f: { ruleCode: AnyColumn; message: AnyColumn }): SQL =>
    !masked(v)
      ? sql`${f.message}`
      : sql`(case ${f.ruleCode} ${sql.join(Object.entries(SECRET_FINDING_MESSAGES).map(([code, text]) => sql`when ${code} then ${text + SECRET_NOTE}`), sql` `)} else ${f.message} end)`,
};
