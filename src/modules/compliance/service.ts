import { and, eq, inArray, notInArray, sql, type SQL } from "drizzle-orm";
import { enterpriseVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor } from "../../db/client.js";
import { paginate } from "../../db/paginate.js";
import type { FindingDraft } from "../../rules/findings.js";
import { complianceFindings } from "../../../schema/index.js";
import { enterpriseMatches } from "../enterprises/service.js";
import type { ComplianceFindingFilter } from "./types.js";

export type FindingRow = typeof complianceFindings.$inferSelect;

/**
 * Makes the open findings of one record equal to `drafts`: new ones open, ones no longer found
 * resolve (a later record cured them), unchanged ones stay as they are.
 * `ruleCodes` limits which rules this evaluation speaks for.
 */
export async function syncFindings(tx: Executor, subject: { kind: string; key: string }, ruleCodes: readonly string[], drafts: FindingDraft[]): Promise<void> {
  const present = drafts.map((d) => d.ruleCode);
  await tx
    .update(complianceFindings)
    .set({ status: "RESOLVED", resolvedAt: sql`now()` })
    .where(
      and(
        eq(complianceFindings.subjectKind, subject.kind),
        eq(complianceFindings.subjectKey, subject.key),
        eq(complianceFindings.status, "OPEN"),
        inArray(complianceFindings.ruleCode, [...ruleCodes]),
        present.length ? notInArray(complianceFindings.ruleCode, present) : undefined,
      ),
    );
  if (drafts.length === 0) return;
  await tx
    .insert(complianceFindings)
    .values(drafts.map((d) => ({ ...d, subjectKind: subject.kind, subjectKey: subject.key })))
    .onConflictDoNothing();
}

/**
 * syncFindings for many records of one kind at once, in two statements whatever their number: the
 * same result as one syncFindings per record in the given order (records never share a key, so
 * they cannot affect one another). The keys and drafts travel as one json parameter each.
 */
export async function syncFindingsOf(tx: Executor, kind: string, ruleCodes: readonly string[], records: { key: string; drafts: FindingDraft[] }[]): Promise<void> {
  if (!records.length) return;
  const present = records.flatMap((r) => r.drafts.map((d) => ({ key: r.key, rule: d.ruleCode })));
  await tx.execute(sql`update compliance_findings f set status = 'RESOLVED', resolved_at = now()
    where f.subject_kind = ${kind}::text and f.status = 'OPEN'
      and f.rule_code in (select json_array_elements_text(${JSON.stringify(ruleCodes)}::json))
      and f.subject_key in (select json_array_elements_text(${JSON.stringify(records.map((r) => r.key))}::json))
      and (f.subject_key, f.rule_code) not in (select p->>'key', p->>'rule' from json_array_elements(${JSON.stringify(present)}::json) as p)`);
  const insert = insertFindingsSql(kind, records);
  if (insert) await tx.execute(insert);
}

/**
 * The insert of syncFindingsOf, for a caller that sends it within a larger statement (as a CTE):
 * one row per draft in the order given (a function scan keeps the array's order), so ids follow it
 * as with one insert per record. null when there is nothing to insert.
 */
export function insertFindingsSql(kind: string, records: { key: string; drafts: FindingDraft[] }[]): SQL | null {
  const rows = records.flatMap((r) => r.drafts.map((d) => ({ ...d, subjectKey: r.key })));
  if (!rows.length) return null;
  return sql`insert into compliance_findings (rule_code, severity, message, source, subject_kind, subject_key, enterprise_uscc, insurer_uscc, policy_id)
    select d->>'ruleCode', d->>'severity', d->>'message', d->>'source', ${kind}::text, d->>'subjectKey', d->>'enterpriseUscc', d->>'insurerUscc', (d->>'policyId')::bigint
    from json_array_elements(${JSON.stringify(rows)}::json) as d
    on conflict do nothing`;
}

/** Agencies and enterprises see findings about enterprises they see; an insurer its own. */
export function findingVisible(v: Viewer) {
  if (v.role === "INSURER") return eq(complianceFindings.insurerUscc, v.org ?? "");
  if (v.role === "SERVICE_ORG" || v.role === "PUBLIC") return sql`false`;
  return and(sql`${complianceFindings.enterpriseUscc} is not null`, enterpriseVisible(v, complianceFindings.enterpriseUscc));
}

/** The findings listFindings pages through (the read planner pages the same rows). */
export function findingsWhere(viewer: Viewer, f: ComplianceFindingFilter | undefined | null): SQL | undefined {
  const t = complianceFindings;
  return and(
    findingVisible(viewer),
    f?.ruleCodes?.length ? inArray(t.ruleCode, f.ruleCodes) : undefined,
    f?.status ? eq(t.status, f.status) : undefined,
    f ? enterpriseMatches(t.enterpriseUscc, f) : undefined,
    f?.enterpriseUscc ? eq(t.enterpriseUscc, f.enterpriseUscc) : undefined,
    f?.insurerUscc ? eq(t.insurerUscc, f.insurerUscc) : undefined,
  );
}

export function listFindings(db: Executor, viewer: Viewer, f: ComplianceFindingFilter | undefined, page: { first?: number; after?: string }) {
  return paginate<FindingRow>({ db, table: complianceFindings, key: complianceFindings.id, where: findingsWhere(viewer, f), ...page });
}

export function findingsOf(db: Executor, viewer: Viewer, subjectKind: string, keys: readonly string[]) {
  return db
    .select()
    .from(complianceFindings)
    .where(and(eq(complianceFindings.subjectKind, subjectKind), inArray(complianceFindings.subjectKey, [...keys]), findingVisible(viewer)));
}

/**
 * For sweeps that re-check one rule everywhere: `drafts` are all the subjects that break `ruleCode`
 * now. Two statements whatever the count: open findings no longer found resolve; new ones open.
 */
export async function syncRuleEverywhere(tx: Executor, ruleCode: string, subjectKind: string, drafts: (FindingDraft & { subjectKey: string })[]): Promise<void> {
  const keys = drafts.map((d) => d.subjectKey);
  await tx
    .update(complianceFindings)
    .set({ status: "RESOLVED", resolvedAt: sql`now()` })
    .where(
      and(
        eq(complianceFindings.ruleCode, ruleCode),
        eq(complianceFindings.subjectKind, subjectKind),
        eq(complianceFindings.status, "OPEN"),
        // one jsonb parameter, however many keys (bind parameters stop at 65,535)
        keys.length ? sql`${complianceFindings.subjectKey} not in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))` : undefined,
      ),
    );
  for (let i = 0; i < drafts.length; i += 1000) {
    await tx.insert(complianceFindings).values(drafts.slice(i, i + 1000).map((d) => ({ ...d, subjectKind }))).onConflictDoNothing();
  }
}
