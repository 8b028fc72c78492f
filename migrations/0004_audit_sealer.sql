ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
-- Audited reads no longer queue on one lock (src/modules/audit/service.ts, sealer.ts): a request
-- inserts its entry unsealed (seq, prev_hash and hash null, content_hash set), and the sealer links
-- it into the chain later by setting seq, prev_hash and hash, once. The append-only trigger of
-- migration 0001 becomes "append, then seal once": an UPDATE may only turn an unsealed entry into a
-- sealed one and change nothing else; DELETE stays refused (TRUNCATE keeps its own trigger).
--
-- Entries written before this migration were chained at insert, in id order: their seq is their id,
-- so their prev_hash and hash verify unchanged and new seals continue from the last of them.
-- (This hand-written part runs before drizzle-kit's indexes and constraints below: the constraints
-- need seq filled in, and the old trigger refuses the UPDATE that fills it.)
DROP TRIGGER audit_log_immutable ON audit_log;
--> statement-breakpoint
UPDATE audit_log SET seq = id;
--> statement-breakpoint
CREATE FUNCTION audit_log_seal_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
     AND (NEW.id, NEW.created_at, NEW.sub, NEW.role, NEW.org, NEW.purpose, NEW.operation, NEW.keys, NEW.request_hash, NEW.content_hash)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.created_at, OLD.sub, OLD.role, OLD.org, OLD.purpose, OLD.operation, OLD.keys, OLD.request_hash, OLD.content_hash)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log 只能追加，封链只能填写一次序号与链哈希 / audit_log is append-only: % is not allowed (only sealing may set seq, prev_hash and hash, once)', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_immutable
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_seal_only();
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_idx" ON "audit_log" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_log_unsealed_idx" ON "audit_log" USING btree ("id") WHERE "audit_log"."seq" is null;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_sealed_whole" CHECK (("audit_log"."seq" is null) = ("audit_log"."prev_hash" is null) and ("audit_log"."seq" is null) = ("audit_log"."hash" is null));--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_unsealed_hashed" CHECK ("audit_log"."seq" is not null or "audit_log"."content_hash" is not null);
