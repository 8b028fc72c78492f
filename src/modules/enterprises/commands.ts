import { inArray, sql } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Tx } from "../../db/client.js";
import { inRegion } from "../../domain/regions.js";
import { SECTOR_CODES } from "../../domain/vocabulary.js";
import { forbidden } from "../../graphql/errors.js";
import { checks, Problems, type Problem } from "../../graphql/validation.js";
import { sectorOfIndustry } from "../../rules/sectors.js";
import { enterprises, policyEnterprises, regions } from "../../../schema/index.js";
import { evaluatePolicyFindings } from "../policies/commands.js";
import type { EnterpriseInput } from "./inputs.js";
import { requireCaller } from "../access.js";

export const MAX_ENTERPRISE_BATCH = 1000;

export type UpsertOutcome = { uscc: string; accepted: true; created: boolean } | { uscc: string; accepted: false; code: string; errors: Problem[] };

/**
 * A department maintains the base data of the enterprises it supervises: each row must lie in its
 * region subtree and (sector departments) in its sectors, both before and after the change.
 * Good rows are written even when others in the batch are rejected. Policies insuring a changed
 * enterprise are re-checked (e.g. a higher employee count uncovers workers).
 */
export async function upsertEnterprisesTx(tx: Tx, viewer: Viewer, inputs: EnterpriseInput[]): Promise<UpsertOutcome[]> {
  requireCaller(viewer, "upsertEnterprises");
  const j = viewer.jurisdiction;
  if (!j) throw forbidden("没有管辖范围 / you have no jurisdiction");
  const usccs = inputs.map((i) => i.uscc);
  const known = new Set((await tx.select({ code: regions.code }).from(regions).where(inArray(regions.code, inputs.map((i) => i.regionCode)))).map((r) => r.code));
  const existing = new Map((await tx.select().from(enterprises).where(inArray(enterprises.uscc, usccs))).map((e) => [e.uscc, e]));
  const inScope = (region: string, sector: string) => inRegion(region, j.regionCode) && (j.sectors === "ALL" || j.sectors.includes(sector as never));

  const outcomes: UpsertOutcome[] = [];
  const rows: (typeof enterprises.$inferInsert)[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, i) => {
    const p = new Problems(`inputs[${i}]`);
    if (checks.uscc(p, "uscc", input.uscc)) p.check(!seen.has(input.uscc), "uscc", "unique", "同一批次重复 / listed twice in the batch");
    seen.add(input.uscc);
    checks.text(p, "name", input.name, 200);
    p.check(known.has(input.regionCode), "regionCode", "known-region", `未知行政区划 / unknown region ${input.regionCode}`);
    const sector = input.sector ?? sectorOfIndustry(input.industryCode) ?? null;
    p.check(/^[A-T]\d{2,4}$/.test(input.industryCode), "industryCode", "gbt4754", "行业代码格式应为 GB/T 4754 / industry code must be a GB/T 4754 code");
    p.check(sector !== null && SECTOR_CODES.includes(sector), "sector", "required", "行业领域无法由行业代码推定，请填写 / sector cannot be derived from the industry code: give it");
    checks.nonNegativeInt(p, "employeeCount", input.employeeCount);
    if (!p.empty) return outcomes.push({ uscc: input.uscc, accepted: false, code: "BAD_USER_INPUT", errors: p.list });
    const before = existing.get(input.uscc);
    if (!inScope(input.regionCode, sector!) || (before && !inScope(before.regionCode, before.sector))) {
      return outcomes.push({ uscc: input.uscc, accepted: false, code: "FORBIDDEN", errors: [{ field: `inputs[${i}]`, rule: "jurisdiction", message: "超出本部门管辖范围 / outside your jurisdiction" }] });
    }
    rows.push({
      uscc: input.uscc, name: input.name.trim(), regionCode: input.regionCode, address: input.address ?? null, industryCode: input.industryCode, sector: sector!,
      riskTags: input.riskTags ?? [], employeeCount: input.employeeCount, status: input.status, safetyLicenseNo: input.safetyLicenseNo ?? null,
      standardizationGrade: input.standardizationGrade ?? null, blacklisted: input.blacklisted ?? false, legalRepresentative: input.legalRepresentative ?? null,
      contactName: input.contactName ?? null, contactPhone: input.contactPhone ?? null, updatedAt: new Date(),
    });
    outcomes.push({ uscc: input.uscc, accepted: true, created: !before });
  });
  if (rows.length) {
    const set = Object.fromEntries(
      ["name", "region_code", "address", "industry_code", "sector", "risk_tags", "employee_count", "status", "safety_license_no", "standardization_grade",
        "blacklisted", "legal_representative", "contact_name", "contact_phone", "updated_at"].map((c) => [camel(c), sql.raw(`excluded.${c}`)]),
    );
    await tx.insert(enterprises).values(rows).onConflictDoUpdate({ target: enterprises.uscc, set });
    const affected = await tx
      .selectDistinct({ id: policyEnterprises.policyId })
      .from(policyEnterprises)
      .where(inArray(policyEnterprises.enterpriseUscc, rows.map((r) => r.uscc)));
    await evaluatePolicyFindings(tx, affected.map((a) => a.id));
  }
  return outcomes;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
