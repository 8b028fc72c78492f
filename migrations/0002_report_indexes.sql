DROP INDEX "policies_period_idx";--> statement-breakpoint
DROP INDEX "prevention_services_performed_idx";--> statement-breakpoint
CREATE INDEX "hazards_notice_idx" ON "hazards" USING btree ("notice_date","enterprise_uscc","severity","rectified_at");--> statement-breakpoint
CREATE INDEX "policies_period_idx" ON "policies" USING btree ("start_at","end_at","cancelled_at","id");--> statement-breakpoint
CREATE INDEX "prevention_services_performed_idx" ON "prevention_services" USING btree ("performed_at","enterprise_uscc","kind");