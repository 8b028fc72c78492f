-- Custom SQL migration file, put your code below! --
-- Append-only tables, enforced by the database itself: a submitted quarterly report (季度报送) is an
-- immutable snapshot (a correction is a new version row), and the audit log is a hash chain. Any
-- UPDATE, DELETE or TRUNCATE raises, whoever issues it (the hub, a console, a migration).
CREATE OR REPLACE FUNCTION forbid_append_only_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% 只能追加，不得修改或删除 / % is append-only: % is not allowed', TG_TABLE_NAME, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER quarterly_report_submissions_immutable
  BEFORE UPDATE OR DELETE ON quarterly_report_submissions
  FOR EACH ROW EXECUTE FUNCTION forbid_append_only_change();
--> statement-breakpoint
CREATE TRIGGER quarterly_report_submissions_no_truncate
  BEFORE TRUNCATE ON quarterly_report_submissions
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_append_only_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_immutable
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_append_only_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_append_only_change();
