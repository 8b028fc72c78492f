/**
 * PostGraphile's row scope, as fair as we can make it: a STABLE SQL function per relation (every
 * level scoped, not just the root), each taking the caller's scope as three arguments:
 *
 *   ins  text    an insurer's USCC: the policies it lead- or co-insures (policy_coinsurers) and what
 *                hangs off them (src/auth/scope.ts INSURER)
 *   pfx  text    an agency's region prefix (with ins null)
 *   secs text[]  an agency's sectors; null = every sector (the committee office)
 *
 * Arguments, not pgSettings + current_setting: PostGraphile v5 sends pgSettings with a
 * transaction and a set_config per request (three extra round trips); arguments keep it at one
 * statement per request, as the hub's planner and the floor. The cost: every scoped field carries
 * `(ins: $ins, pfx: $pfx, secs: $secs)` in the document (see shapes.ts).
 *
 * Root lists are functions in bench_api (connections); lists below a row are computed columns
 * (`<table>_scoped_*`, first argument the row), exposed as plain lists (`@behavior -connection
 * +list`) so that the answer has the hub's shape once aliased. Computed columns live in public, the
 * tables' schema (PostGraphile only takes a computed column from the table's own schema), and only
 * in the bench database. The predicates ent_ok / pol_ok / rec_ok are single-expression SQL
 * functions, so PostgreSQL inlines them.
 *
 * Field rules PostGraphile has no notion of are emulated with functions that return null where the
 * hub refuses (the hub also answers a FORBIDDEN error and appends an audit entry; PostGraphile does
 * neither), and claimants are masked in SQL (bench_api.mask_name / mask_id, equal to
 * src/rules/identifiers.ts maskName / maskIdNumber on this data).
 */
import { secretMessageSql } from "./shapes.js";

const S = "ins text, pfx text, secs text[]";
const A = "ins, pfx, secs";

const list = (name: string) => `comment on function ${name} is E'@behavior -connection +list';`;

export const PGL_SCOPE_SQL = `
create schema if not exists bench_api;

create or replace function bench_api.agency_ok(region_code text, sector text, pfx text, secs text[]) returns boolean
  language sql immutable as $$ select region_code like pfx || '%' and (secs is null or sector = any(secs)) $$;

create or replace function bench_api.ent_ok(u text, ${S}) returns boolean language sql stable as $$
  select case when ins is not null
    then exists (select 1 from public.policy_enterprises pe join public.policy_coinsurers pc on pc.policy_id = pe.policy_id
                 where pe.enterprise_uscc = u and pc.insurer_uscc = ins)
    else exists (select 1 from public.enterprises v where v.uscc = u and bench_api.agency_ok(v.region_code, v.sector, pfx, secs)) end $$;

create or replace function bench_api.pol_ok(pid bigint, ${S}) returns boolean language sql stable as $$
  select case when ins is not null
    then exists (select 1 from public.policy_coinsurers pc where pc.policy_id = pid and pc.insurer_uscc = ins)
    else exists (select 1 from public.policy_enterprises pe join public.enterprises v on v.uscc = pe.enterprise_uscc
                 where pe.policy_id = pid and bench_api.agency_ok(v.region_code, v.sector, pfx, secs)) end $$;

create or replace function bench_api.rec_ok(u text, pid bigint, ${S}) returns boolean language sql stable as $$
  select case when ins is not null then bench_api.pol_ok(pid, ins, null, null) else bench_api.ent_ok(u, null, pfx, secs) end $$;

create or replace function bench_api.mask_name(n text) returns text language sql immutable as $$
  select case when char_length(btrim(n)) = 0 then '' when char_length(btrim(n)) = 1 then '*'
              else left(btrim(n), 1) || repeat('*', char_length(btrim(n)) - 1) end $$;

create or replace function bench_api.mask_id(n text) returns text language sql immutable as $$
  select case when length(n) <= 7 then repeat('*', length(n)) else left(n, 3) || repeat('*', length(n) - 7) || right(n, 4) end $$;

-- root lists (keyset order of the hub: uscc for enterprises, id for the rest)
create or replace function bench_api.scoped_enterprises(${S}) returns setof public.enterprises language sql stable as $$
  select e.* from public.enterprises e
  where case when ins is not null then bench_api.ent_ok(e.uscc, ins, null, null) else bench_api.agency_ok(e.region_code, e.sector, pfx, secs) end
  order by e.uscc $$;

create or replace function bench_api.scoped_enterprise(u text, ${S}) returns public.enterprises language sql stable as $$
  select e.* from public.enterprises e where e.uscc = u and bench_api.ent_ok(e.uscc, ${A}) $$;

create or replace function bench_api.scoped_policies(${S}) returns setof public.policies language sql stable as $$
  select p.* from public.policies p where bench_api.pol_ok(p.id, ${A}) order by p.id $$;

create or replace function bench_api.scoped_overdue_hazards(${S}, today date) returns setof public.hazards language sql stable as $$
  select h.* from public.hazards h
  where h.status = 'OPEN' and h.deadline < today and bench_api.rec_ok(h.enterprise_uscc, h.policy_id, ${A}) order by h.id $$;

create or replace function bench_api.scoped_claims(${S}) returns setof public.claims language sql stable as $$
  select c.* from public.claims c where bench_api.rec_ok(c.enterprise_uscc, c.policy_id, ${A}) order by c.id $$;

create or replace function bench_api.scoped_findings(${S}) returns setof public.compliance_findings language sql stable as $$
  select f.* from public.compliance_findings f
  where case when ins is not null then f.insurer_uscc = ins
             else f.enterprise_uscc is not null and bench_api.ent_ok(f.enterprise_uscc, null, pfx, secs) end
  order by f.id $$;

-- lists under a row (the hub's relations, src/graphql/plan/relations.ts: same scope, same order)
create or replace function public.enterprises_scoped_policies(e public.enterprises, ${S}) returns setof public.policies language sql stable as $$
  select p.* from public.policy_enterprises pe join public.policies p on p.id = pe.policy_id
  where pe.enterprise_uscc = e.uscc and bench_api.pol_ok(p.id, ${A}) order by p.start_at desc, p.id desc $$;
${list("public.enterprises_scoped_policies(public.enterprises, text, text, text[])")}

create or replace function public.enterprises_scoped_claims(e public.enterprises, ${S}) returns setof public.claims language sql stable as $$
  select c.* from public.claims c where c.enterprise_uscc = e.uscc and bench_api.rec_ok(c.enterprise_uscc, c.policy_id, ${A})
  order by c.reported_at desc, c.id desc $$;
${list("public.enterprises_scoped_claims(public.enterprises, text, text, text[])")}

create or replace function public.enterprises_scoped_hazards(e public.enterprises, ${S}) returns setof public.hazards language sql stable as $$
  select h.* from public.hazards h where h.enterprise_uscc = e.uscc and bench_api.rec_ok(h.enterprise_uscc, h.policy_id, ${A}) order by h.id $$;
${list("public.enterprises_scoped_hazards(public.enterprises, text, text, text[])")}

create or replace function public.policies_scoped_claims(p public.policies, ${S}) returns setof public.claims language sql stable as $$
  select c.* from public.claims c where c.policy_id = p.id and bench_api.rec_ok(c.enterprise_uscc, c.policy_id, ${A})
  order by c.reported_at desc, c.id desc $$;
${list("public.policies_scoped_claims(public.policies, text, text, text[])")}

create or replace function public.policies_scoped_services(p public.policies, ${S}) returns setof public.prevention_services language sql stable as $$
  select s.* from public.prevention_services s where s.policy_id = p.id and bench_api.rec_ok(s.enterprise_uscc, s.policy_id, ${A})
  order by s.performed_at desc, s.id desc $$;
${list("public.policies_scoped_services(public.policies, text, text, text[])")}

create or replace function public.policies_scoped_insured(p public.policies, ${S}) returns setof public.policy_enterprises language sql stable as $$
  select pe.* from public.policy_enterprises pe where pe.policy_id = p.id and bench_api.ent_ok(pe.enterprise_uscc, ${A}) order by pe.enterprise_uscc $$;
${list("public.policies_scoped_insured(public.policies, text, text, text[])")}

create or replace function public.prevention_services_scoped_hazards(s public.prevention_services, ${S}) returns setof public.hazards language sql stable as $$
  select h.* from public.hazards h where h.service_id = s.id and bench_api.rec_ok(h.enterprise_uscc, h.policy_id, ${A}) order by h.seq, h.id $$;
${list("public.prevention_services_scoped_hazards(public.prevention_services, text, text, text[])")}

-- a visible claim's payments and claimants are all visible (as in the hub)
create or replace function public.claims_scoped_payments(c public.claims) returns setof public.claim_payments language sql stable as $$
  select cp.* from public.claim_payments cp where cp.claim_id = c.id order by cp.paid_at, cp.id $$;
${list("public.claims_scoped_payments(public.claims)")}

create or replace function public.claims_scoped_claimants(c public.claims) returns setof public.claimants language sql stable as $$
  select x.* from public.claimants x where x.claim_id = c.id order by x.id $$;
${list("public.claims_scoped_claimants(public.claims)")}

-- single rows under a row: null outside the scope
create or replace function public.policy_enterprises_scoped_enterprise(pe public.policy_enterprises, ${S}) returns public.enterprises language sql stable as $$
  select e.* from public.enterprises e where e.uscc = pe.enterprise_uscc and bench_api.ent_ok(e.uscc, ${A}) $$;

create or replace function public.hazards_scoped_enterprise(h public.hazards, ${S}) returns public.enterprises language sql stable as $$
  select e.* from public.enterprises e where e.uscc = h.enterprise_uscc and bench_api.ent_ok(e.uscc, ${A}) $$;

-- computed values and field rules
create or replace function public.hazards_status_now(h public.hazards, today date) returns text language sql stable as $$
  select case when h.status = 'OPEN' and h.deadline < today then 'OVERDUE' else h.status end $$;

-- claimants whole for the insurer handling the claim, masked for everyone else
create or replace function public.claimants_scoped_name(x public.claimants, ins text) returns text language sql stable as $$
  select case when ins is not null and ins = (select c.insurer_uscc from public.claims c where c.id = x.claim_id) then x.name else bench_api.mask_name(x.name) end $$;

create or replace function public.claimants_scoped_id_number(x public.claimants, ins text) returns text language sql stable as $$
  select case when ins is not null and ins = (select c.insurer_uscc from public.claims c where c.id = x.claim_id) then x.id_number else bench_api.mask_id(x.id_number) end $$;

-- contact details: supervising agencies only (not insurers); premium: insurers and the committee office, not a department
create or replace function public.enterprises_scoped_contact_name(e public.enterprises, ins text) returns text language sql stable as $$
  select case when ins is null then e.contact_name end $$;

create or replace function public.compliance_findings_scoped_message(f public.compliance_findings, ins text, secs text[]) returns text language sql stable as $$
  select case when ins is not null or secs is null then f.message else ${secretMessageSql("f.rule_code", "f.message")} end $$;

create or replace function public.policies_scoped_premium(p public.policies, ins text, secs text[]) returns numeric language sql stable as $$
  select case when ins is not null or secs is null then p.premium end $$;
`;
