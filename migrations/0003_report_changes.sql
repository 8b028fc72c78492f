CREATE TABLE "report_changes" (
	"quarter_key" integer NOT NULL,
	"backend" integer NOT NULL,
	"changes" bigint DEFAULT 0 NOT NULL,
	"mix" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "report_changes_quarter_key_backend_pk" PRIMARY KEY("quarter_key","backend")
);--> statement-breakpoint
-- The live-report cache's change log (schema/reporting.ts, src/modules/reporting/cache.ts): every
-- statement that writes a table the quarterly figures read records, in its own transaction, which
-- quarters it can have changed. Statement-level AFTER triggers with transition tables: one upsert per
-- statement and quarter, on a row of this server process only (no waits between writers).
-- Writes under session_replication_role = replica (bulk loads) bypass these triggers like any other:
-- restart the hub after such a load.

-- A quarter as year × 4 + quarter − 1, by China Standard Time (UTC+8, no daylight saving).
CREATE FUNCTION report_quarter_key(t timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT extract(year FROM (t AT TIME ZONE 'UTC') + interval '8 hours')::integer * 4
       + (extract(month FROM (t AT TIME ZONE 'UTC') + interval '8 hours')::integer - 1) / 3
$$;
--> statement-breakpoint
-- The same for a CST calendar date (a hazard's notice date).
CREATE FUNCTION report_quarter_key_of_date(d date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT extract(year FROM d)::integer * 4 + (extract(month FROM d)::integer - 1) / 3
$$;
--> statement-breakpoint
-- Every quarter from the one of `a` to the one of `b` (a policy's period). ROWS: a policy spans a few
-- quarters, and generate_series's own estimate (1000 a row) makes a 500-policy batch look big enough
-- to JIT-compile the trigger's query (~130 ms) on every filing.
CREATE FUNCTION report_quarter_keys(a timestamptz, b timestamptz) RETURNS SETOF integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 6 AS $$
  SELECT generate_series(report_quarter_key(a), report_quarter_key(b))
$$;
--> statement-breakpoint
-- Records one write to each of `keys` (−1: every quarter). mix adds a random 62-bit number, so that
-- two different sets of writes with the same count still differ in their token.
CREATE FUNCTION report_touch(keys integer[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_changes AS c (quarter_key, backend, changes, mix)
  SELECT k, pg_backend_pid(), 1, floor(random() * 4611686018427387904)::bigint
  FROM (SELECT DISTINCT unnest(keys) AS k) x
  WHERE k IS NOT NULL
  ORDER BY k
  ON CONFLICT (quarter_key, backend) DO UPDATE SET changes = c.changes + 1, mix = (c.mix + excluded.mix) % 4611686018427387904
$$;
--> statement-breakpoint
CREATE FUNCTION report_changed_all() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_touch(ARRAY[-1]);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- enterprises: a new or removed enterprise, or a change to what the figures read of one (sector,
-- region, status, employees, risk tags), changes every quarter's figures.
CREATE FUNCTION report_changed_enterprises() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    PERFORM report_touch(ARRAY[-1]);
  ELSIF EXISTS (
    (SELECT uscc, sector, region_code, status, employee_count, risk_tags FROM old_rows
     EXCEPT ALL SELECT uscc, sector, region_code, status, employee_count, risk_tags FROM new_rows)
    UNION ALL
    (SELECT uscc, sector, region_code, status, employee_count, risk_tags FROM new_rows
     EXCEPT ALL SELECT uscc, sector, region_code, status, employee_count, risk_tags FROM old_rows)
  ) THEN
    PERFORM report_touch(ARRAY[-1]);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER enterprises_report_insert AFTER INSERT ON enterprises
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_enterprises();
--> statement-breakpoint
CREATE TRIGGER enterprises_report_update AFTER UPDATE ON enterprises
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_enterprises();
--> statement-breakpoint
CREATE TRIGGER enterprises_report_delete AFTER DELETE ON enterprises
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_enterprises();
--> statement-breakpoint
CREATE TRIGGER enterprises_report_truncate AFTER TRUNCATE ON enterprises
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
--> statement-breakpoint
-- policies: a policy counts for coverage at the end of every quarter its period reaches, and for premium in its start quarter
CREATE FUNCTION report_changed_policies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_keys(r.start_at, r.end_at) FROM new_rows r));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_keys(r.start_at, r.end_at) FROM old_rows r));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER policies_report_insert AFTER INSERT ON policies
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_policies();
--> statement-breakpoint
CREATE TRIGGER policies_report_update AFTER UPDATE ON policies
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_policies();
--> statement-breakpoint
CREATE TRIGGER policies_report_delete AFTER DELETE ON policies
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_policies();
--> statement-breakpoint
CREATE TRIGGER policies_report_truncate AFTER TRUNCATE ON policies
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
--> statement-breakpoint
-- policy_enterprises: a policy's links: its coverage and premium quarters, and the quarters of its fund entries (apportioned by headcount)
CREATE FUNCTION report_changed_policy_enterprises() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_keys(p.start_at, p.end_at) FROM new_rows r JOIN policies p ON p.id = r.policy_id
    UNION SELECT report_quarter_key(f.booked_at) FROM fund_entries f WHERE f.policy_id IN (SELECT r.policy_id FROM new_rows r)));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_keys(p.start_at, p.end_at) FROM old_rows r JOIN policies p ON p.id = r.policy_id
    UNION SELECT report_quarter_key(f.booked_at) FROM fund_entries f WHERE f.policy_id IN (SELECT r.policy_id FROM old_rows r)));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER policy_enterprises_report_insert AFTER INSERT ON policy_enterprises
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_policy_enterprises();
--> statement-breakpoint
CREATE TRIGGER policy_enterprises_report_update AFTER UPDATE ON policy_enterprises
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_policy_enterprises();
--> statement-breakpoint
CREATE TRIGGER policy_enterprises_report_delete AFTER DELETE ON policy_enterprises
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_policy_enterprises();
--> statement-breakpoint
CREATE TRIGGER policy_enterprises_report_truncate AFTER TRUNCATE ON policy_enterprises
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
--> statement-breakpoint
-- accidents: by occurrence
CREATE FUNCTION report_changed_accidents() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.occurred_at) FROM new_rows r));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.occurred_at) FROM old_rows r));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER accidents_report_insert AFTER INSERT ON accidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_accidents();
--> statement-breakpoint
CREATE TRIGGER accidents_report_update AFTER UPDATE ON accidents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_accidents();
--> statement-breakpoint
CREATE TRIGGER accidents_report_delete AFTER DELETE ON accidents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_accidents();
--> statement-breakpoint
CREATE TRIGGER accidents_report_truncate AFTER TRUNCATE ON accidents
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
--> statement-breakpoint
-- claims: reported and settled quarters; a claim's payments count through its enterprise
CREATE FUNCTION report_changed_claims() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.reported_at) FROM new_rows r
    UNION SELECT report_quarter_key(r.settled_at) FROM new_rows r WHERE r.settled_at IS NOT NULL
    UNION SELECT report_quarter_key(cp.paid_at) FROM claim_payments cp WHERE cp.claim_id IN (SELECT r.id FROM new_rows r)));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.reported_at) FROM old_rows r
    UNION SELECT report_quarter_key(r.settled_at) FROM old_rows r WHERE r.settled_at IS NOT NULL
    UNION SELECT report_quarter_key(cp.paid_at) FROM claim_payments cp WHERE cp.claim_id IN (SELECT r.id FROM old_rows r)));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER claims_report_insert AFTER INSERT ON claims
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_claims();
--> statement-breakpoint
CREATE TRIGGER claims_report_update AFTER UPDATE ON claims
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_claims();
--> statement-breakpoint
CREATE TRIGGER claims_report_delete AFTER DELETE ON claims
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_claims();
--> statement-breakpoint
CREATE TRIGGER claims_report_truncate AFTER TRUNCATE ON claims
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
--> statement-breakpoint
-- claim_payments: by payment date
CREATE FUNCTION report_changed_claim_payments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.paid_at) FROM new_rows r));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.paid_at) FROM old_rows r));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER claim_payments_report_insert AFTER INSERT ON claim_payments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_claim_payments();
--> statement-breakpoint
CREATE TRIGGER claim_payments_report_update AFTER UPDATE ON claim_payments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_claim_payments();
--> statement-breakpoint
CREATE TRIGGER claim_payments_report_delete AFTER DELETE ON claim_payments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_claim_payments();
--> statement-breakpoint
CREATE TRIGGER claim_payments_report_truncate AFTER TRUNCATE ON claim_payments
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
--> statement-breakpoint
-- fund_entries: by booking date
CREATE FUNCTION report_changed_fund_entries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.booked_at) FROM new_rows r));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.booked_at) FROM old_rows r));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER fund_entries_report_insert AFTER INSERT ON fund_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_fund_entries();
--> statement-breakpoint
CREATE TRIGGER fund_entries_report_update AFTER UPDATE ON fund_entries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_fund_entries();
--> statement-breakpoint
CREATE TRIGGER fund_entries_report_delete AFTER DELETE ON fund_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_fund_entries();
--> statement-breakpoint
CREATE TRIGGER fund_entries_report_truncate AFTER TRUNCATE ON fund_entries
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
--> statement-breakpoint
-- prevention_services: by date performed
CREATE FUNCTION report_changed_prevention_services() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.performed_at) FROM new_rows r));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key(r.performed_at) FROM old_rows r));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER prevention_services_report_insert AFTER INSERT ON prevention_services
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_prevention_services();
--> statement-breakpoint
CREATE TRIGGER prevention_services_report_update AFTER UPDATE ON prevention_services
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_prevention_services();
--> statement-breakpoint
CREATE TRIGGER prevention_services_report_delete AFTER DELETE ON prevention_services
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_prevention_services();
--> statement-breakpoint
CREATE TRIGGER prevention_services_report_truncate AFTER TRUNCATE ON prevention_services
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
--> statement-breakpoint
-- hazards: by written notice date
CREATE FUNCTION report_changed_hazards() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key_of_date(r.notice_date) FROM new_rows r));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_touch(ARRAY(SELECT report_quarter_key_of_date(r.notice_date) FROM old_rows r));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER hazards_report_insert AFTER INSERT ON hazards
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_hazards();
--> statement-breakpoint
CREATE TRIGGER hazards_report_update AFTER UPDATE ON hazards
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_hazards();
--> statement-breakpoint
CREATE TRIGGER hazards_report_delete AFTER DELETE ON hazards
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_changed_hazards();
--> statement-breakpoint
CREATE TRIGGER hazards_report_truncate AFTER TRUNCATE ON hazards
  FOR EACH STATEMENT EXECUTE FUNCTION report_changed_all();
