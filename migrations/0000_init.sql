CREATE TABLE "agencies" (
	"id" text PRIMARY KEY NOT NULL,
	"region_code" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agencies_id_format" CHECK ("agencies"."id" = "agencies"."region_code" || '-' || "agencies"."kind")
);
--> statement-breakpoint
CREATE TABLE "agency_sectors" (
	"agency_id" text NOT NULL,
	"sector" text NOT NULL,
	CONSTRAINT "agency_sectors_agency_id_sector_pk" PRIMARY KEY("agency_id","sector")
);
--> statement-breakpoint
CREATE TABLE "brokers" (
	"uscc" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insurers" (
	"uscc" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qualifications" (
	"org_uscc" text NOT NULL,
	"org_kind" text NOT NULL,
	"region_code" text NOT NULL,
	"status" text NOT NULL,
	"since" text,
	CONSTRAINT "qualifications_org_uscc_region_code_pk" PRIMARY KEY("org_uscc","region_code"),
	CONSTRAINT "qualifications_org_kind" CHECK ("qualifications"."org_kind" in ('INSURER','SERVICE_ORG')),
	CONSTRAINT "qualifications_status" CHECK ("qualifications"."status" in ('QUALIFIED','SUSPENDED','DISQUALIFIED'))
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_code" text,
	"level" integer NOT NULL,
	CONSTRAINT "regions_code_format" CHECK ("regions"."code" ~ '^[0-9]{6}([0-9]{3})?$'),
	CONSTRAINT "regions_level_range" CHECK ("regions"."level" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "service_orgs" (
	"uscc" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprises" (
	"uscc" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"address" text,
	"industry_code" text NOT NULL,
	"sector" text NOT NULL,
	"risk_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"employee_count" integer NOT NULL,
	"status" text DEFAULT 'OPERATING' NOT NULL,
	"safety_license_no" text,
	"standardization_grade" text,
	"blacklisted" boolean DEFAULT false NOT NULL,
	"legal_representative" text,
	"contact_name" text,
	"contact_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprises_employees_nonneg" CHECK ("enterprises"."employee_count" >= 0),
	CONSTRAINT "enterprises_status" CHECK ("enterprises"."status" in ('OPERATING','SUSPENDED','CLOSED'))
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "policies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"insurer_uscc" text NOT NULL,
	"policy_no" text NOT NULL,
	"broker_uscc" text,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"premium" numeric(16, 2) NOT NULL,
	"base_rate" numeric(10, 6) DEFAULT '0' NOT NULL,
	"rate_float" numeric(7, 4) DEFAULT '0' NOT NULL,
	"commission_ratio" numeric(7, 4) DEFAULT '0' NOT NULL,
	"prevention_fund_ratio" numeric(7, 4) NOT NULL,
	"insured_headcount" integer NOT NULL,
	"death_limit_per_person" numeric(16, 2) NOT NULL,
	"medical_limit_per_person" numeric(16, 2),
	"third_party_limit" numeric(16, 2),
	"coverage_items" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_group_policy" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"payload_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policies_insurer_policy_no" UNIQUE("insurer_uscc","policy_no"),
	CONSTRAINT "policies_period_order" CHECK ("policies"."start_at" < "policies"."end_at"),
	CONSTRAINT "policies_money_nonneg" CHECK ("policies"."premium" >= 0 and "policies"."death_limit_per_person" >= 0 and coalesce("policies"."medical_limit_per_person", 0) >= 0 and coalesce("policies"."third_party_limit", 0) >= 0),
	CONSTRAINT "policies_ratios" CHECK ("policies"."commission_ratio" between 0 and 1 and "policies"."prevention_fund_ratio" between 0 and 1),
	CONSTRAINT "policies_rate_float" CHECK ("policies"."rate_float" between -1 and 3),
	CONSTRAINT "policies_headcount_pos" CHECK ("policies"."insured_headcount" > 0),
	CONSTRAINT "policies_cancel_reason" CHECK (("policies"."cancelled_at" is null) = ("policies"."cancel_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "policy_coinsurers" (
	"policy_id" bigint NOT NULL,
	"insurer_uscc" text NOT NULL,
	"share" numeric(7, 4) NOT NULL,
	"is_lead" boolean DEFAULT false NOT NULL,
	CONSTRAINT "policy_coinsurers_policy_id_insurer_uscc_pk" PRIMARY KEY("policy_id","insurer_uscc"),
	CONSTRAINT "policy_coinsurers_share" CHECK ("policy_coinsurers"."share" > 0 and "policy_coinsurers"."share" <= 1)
);
--> statement-breakpoint
CREATE TABLE "policy_enterprises" (
	"policy_id" bigint NOT NULL,
	"enterprise_uscc" text NOT NULL,
	"insured_headcount" integer NOT NULL,
	CONSTRAINT "policy_enterprises_policy_id_enterprise_uscc_pk" PRIMARY KEY("policy_id","enterprise_uscc"),
	CONSTRAINT "policy_enterprises_headcount_pos" CHECK ("policy_enterprises"."insured_headcount" > 0)
);
--> statement-breakpoint
CREATE TABLE "policy_service_orgs" (
	"policy_id" bigint NOT NULL,
	"service_org_uscc" text NOT NULL,
	CONSTRAINT "policy_service_orgs_policy_id_service_org_uscc_pk" PRIMARY KEY("policy_id","service_org_uscc")
);
--> statement-breakpoint
CREATE TABLE "policy_service_plans" (
	"policy_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"yearly_frequency" integer NOT NULL,
	CONSTRAINT "policy_service_plans_policy_id_kind_pk" PRIMARY KEY("policy_id","kind"),
	CONSTRAINT "policy_service_plans_freq" CHECK ("policy_service_plans"."yearly_frequency" > 0)
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "policy_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"policy_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"reason" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_versions_policy_version" UNIQUE("policy_id","version")
);
--> statement-breakpoint
CREATE TABLE "accidents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "accidents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"enterprise_uscc" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"deaths" integer DEFAULT 0 NOT NULL,
	"serious_injuries" integer DEFAULT 0 NOT NULL,
	"direct_loss" numeric(16, 2) DEFAULT '0' NOT NULL,
	"grade" text NOT NULL,
	"description" text,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accidents_counts" CHECK ("accidents"."deaths" >= 0 and "accidents"."serious_injuries" >= 0 and "accidents"."direct_loss" >= 0),
	CONSTRAINT "accidents_grade" CHECK ("accidents"."grade" in ('GENERAL','LARGER','MAJOR','EXTRAORDINARY'))
);
--> statement-breakpoint
CREATE TABLE "claim_payments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "claim_payments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"claim_id" bigint NOT NULL,
	"insurer_uscc" text NOT NULL,
	"payment_ref" text NOT NULL,
	"kind" text NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_payments_insurer_ref" UNIQUE("insurer_uscc","payment_ref"),
	CONSTRAINT "claim_payments_kind" CHECK ("claim_payments"."kind" in ('ADVANCE','EMERGENCY_ADVANCE','SMALL_FAST','SETTLEMENT')),
	CONSTRAINT "claim_payments_amount" CHECK ("claim_payments"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "claimants" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "claimants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"claim_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"id_number" text NOT NULL,
	"injury" text,
	CONSTRAINT "claimants_kind" CHECK ("claimants"."kind" in ('EMPLOYEE','THIRD_PARTY'))
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "claims_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"insurer_uscc" text NOT NULL,
	"claim_ref" text NOT NULL,
	"policy_id" bigint NOT NULL,
	"enterprise_uscc" text NOT NULL,
	"accident_id" bigint,
	"status" text DEFAULT 'REPORTED' NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"assessed_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"rejected_at" timestamp with time zone,
	"rejection_reason" text,
	"reserve" numeric(16, 2) DEFAULT '0' NOT NULL,
	"settled_amount" numeric(16, 2),
	"payload_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_insurer_ref" UNIQUE("insurer_uscc","claim_ref"),
	CONSTRAINT "claims_status" CHECK ("claims"."status" in ('REPORTED','ASSESSED','ADVANCE_PAID','SETTLED','REJECTED')),
	CONSTRAINT "claims_money" CHECK ("claims"."reserve" >= 0 and coalesce("claims"."settled_amount", 0) >= 0),
	CONSTRAINT "claims_settled_consistent" CHECK (("claims"."status" = 'SETTLED') = ("claims"."settled_at" is not null)),
	CONSTRAINT "claims_rejected_consistent" CHECK (("claims"."status" = 'REJECTED') = ("claims"."rejected_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "hazards" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hazards_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"service_id" bigint NOT NULL,
	"policy_id" bigint NOT NULL,
	"enterprise_uscc" text NOT NULL,
	"seq" integer NOT NULL,
	"description" text NOT NULL,
	"severity" text NOT NULL,
	"notice_date" date NOT NULL,
	"deadline" date NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"rectified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hazards_service_seq" UNIQUE("service_id","seq"),
	CONSTRAINT "hazards_severity" CHECK ("hazards"."severity" in ('GENERAL','MAJOR')),
	CONSTRAINT "hazards_status" CHECK ("hazards"."status" in ('OPEN','RECTIFIED','REFUSED')),
	CONSTRAINT "hazards_dates" CHECK ("hazards"."notice_date" <= "hazards"."deadline"),
	CONSTRAINT "hazards_rectified_consistent" CHECK (("hazards"."status" = 'RECTIFIED') = ("hazards"."rectified_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "prevention_services" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "prevention_services_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"insurer_uscc" text NOT NULL,
	"service_ref" text NOT NULL,
	"policy_id" bigint NOT NULL,
	"enterprise_uscc" text NOT NULL,
	"service_org_uscc" text,
	"kind" text NOT NULL,
	"performed_at" timestamp with time zone NOT NULL,
	"place" text,
	"staff" text[] DEFAULT '{}'::text[] NOT NULL,
	"cost" numeric(16, 2) DEFAULT '0' NOT NULL,
	"confirmed_by_enterprise" boolean DEFAULT false NOT NULL,
	"payload_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prevention_services_insurer_ref" UNIQUE("insurer_uscc","service_ref"),
	CONSTRAINT "prevention_services_kind" CHECK ("prevention_services"."kind" in ('RISK_ASSESSMENT','HAZARD_INVESTIGATION','TRAINING','EMERGENCY_DRILL','TECH_PROMOTION','OTHER')),
	CONSTRAINT "prevention_services_cost" CHECK ("prevention_services"."cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "fund_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "fund_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"insurer_uscc" text NOT NULL,
	"entry_ref" text NOT NULL,
	"policy_id" bigint,
	"kind" text NOT NULL,
	"category" text,
	"amount" numeric(16, 2) NOT NULL,
	"booked_at" timestamp with time zone NOT NULL,
	"note" text,
	"payload_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_entries_insurer_ref" UNIQUE("insurer_uscc","entry_ref"),
	CONSTRAINT "fund_entries_kind" CHECK ("fund_entries"."kind" in ('EXTRACTION','USE')),
	CONSTRAINT "fund_entries_category" CHECK (("fund_entries"."kind" = 'USE') = ("fund_entries"."category" is not null)),
	CONSTRAINT "fund_entries_amount" CHECK ("fund_entries"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "quarterly_report_submissions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "quarterly_report_submissions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agency_id" text NOT NULL,
	"year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"version" integer NOT NULL,
	"figures" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"timeliness" text NOT NULL,
	"note" text,
	"correction_reason" text,
	"submitted_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "qrs_agency_period_version" UNIQUE("agency_id","year","quarter","version"),
	CONSTRAINT "qrs_quarter" CHECK ("quarterly_report_submissions"."quarter" between 1 and 4),
	CONSTRAINT "qrs_timeliness" CHECK ("quarterly_report_submissions"."timeliness" in ('ON_TIME','LATE')),
	CONSTRAINT "qrs_correction_reason" CHECK ("quarterly_report_submissions"."version" = 1 or "quarterly_report_submissions"."correction_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "compliance_findings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "compliance_findings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"rule_code" text NOT NULL,
	"severity" text NOT NULL,
	"message" text NOT NULL,
	"source" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"enterprise_uscc" text,
	"insurer_uscc" text,
	"policy_id" bigint,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "compliance_findings_status" CHECK ("compliance_findings"."status" in ('OPEN','RESOLVED')),
	CONSTRAINT "compliance_findings_severity" CHECK ("compliance_findings"."severity" in ('INFO','WARNING','VIOLATION'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sub" text NOT NULL,
	"role" text NOT NULL,
	"org" text,
	"purpose" text,
	"operation" text NOT NULL,
	"keys" jsonb NOT NULL,
	"request_hash" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"org" text NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"payload_hash" text NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_org_key_pk" PRIMARY KEY("org","key")
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_sectors" ADD CONSTRAINT "agency_sectors_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_code_regions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_insurer_uscc_insurers_uscc_fk" FOREIGN KEY ("insurer_uscc") REFERENCES "public"."insurers"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_broker_uscc_brokers_uscc_fk" FOREIGN KEY ("broker_uscc") REFERENCES "public"."brokers"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_coinsurers" ADD CONSTRAINT "policy_coinsurers_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_coinsurers" ADD CONSTRAINT "policy_coinsurers_insurer_uscc_insurers_uscc_fk" FOREIGN KEY ("insurer_uscc") REFERENCES "public"."insurers"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_enterprises" ADD CONSTRAINT "policy_enterprises_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_enterprises" ADD CONSTRAINT "policy_enterprises_enterprise_uscc_enterprises_uscc_fk" FOREIGN KEY ("enterprise_uscc") REFERENCES "public"."enterprises"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_service_orgs" ADD CONSTRAINT "policy_service_orgs_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_service_orgs" ADD CONSTRAINT "policy_service_orgs_service_org_uscc_service_orgs_uscc_fk" FOREIGN KEY ("service_org_uscc") REFERENCES "public"."service_orgs"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_service_plans" ADD CONSTRAINT "policy_service_plans_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accidents" ADD CONSTRAINT "accidents_enterprise_uscc_enterprises_uscc_fk" FOREIGN KEY ("enterprise_uscc") REFERENCES "public"."enterprises"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accidents" ADD CONSTRAINT "accidents_recorded_by_agencies_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_insurer_uscc_insurers_uscc_fk" FOREIGN KEY ("insurer_uscc") REFERENCES "public"."insurers"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claimants" ADD CONSTRAINT "claimants_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_insurer_uscc_insurers_uscc_fk" FOREIGN KEY ("insurer_uscc") REFERENCES "public"."insurers"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_enterprise_uscc_enterprises_uscc_fk" FOREIGN KEY ("enterprise_uscc") REFERENCES "public"."enterprises"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_accident_id_accidents_id_fk" FOREIGN KEY ("accident_id") REFERENCES "public"."accidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_service_id_prevention_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."prevention_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_enterprise_uscc_enterprises_uscc_fk" FOREIGN KEY ("enterprise_uscc") REFERENCES "public"."enterprises"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prevention_services" ADD CONSTRAINT "prevention_services_insurer_uscc_insurers_uscc_fk" FOREIGN KEY ("insurer_uscc") REFERENCES "public"."insurers"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prevention_services" ADD CONSTRAINT "prevention_services_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prevention_services" ADD CONSTRAINT "prevention_services_enterprise_uscc_enterprises_uscc_fk" FOREIGN KEY ("enterprise_uscc") REFERENCES "public"."enterprises"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prevention_services" ADD CONSTRAINT "prevention_services_service_org_uscc_service_orgs_uscc_fk" FOREIGN KEY ("service_org_uscc") REFERENCES "public"."service_orgs"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_insurer_uscc_insurers_uscc_fk" FOREIGN KEY ("insurer_uscc") REFERENCES "public"."insurers"("uscc") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarterly_report_submissions" ADD CONSTRAINT "quarterly_report_submissions_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agencies_region_idx" ON "agencies" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "agency_sectors_sector_idx" ON "agency_sectors" USING btree ("sector");--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "enterprises_region_idx" ON "enterprises" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "enterprises_sector_region_idx" ON "enterprises" USING btree ("sector","region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "policies_period_idx" ON "policies" USING btree ("start_at","end_at");--> statement-breakpoint
CREATE INDEX "policy_coinsurers_insurer_idx" ON "policy_coinsurers" USING btree ("insurer_uscc","policy_id");--> statement-breakpoint
CREATE INDEX "policy_enterprises_enterprise_idx" ON "policy_enterprises" USING btree ("enterprise_uscc","policy_id");--> statement-breakpoint
CREATE INDEX "policy_service_orgs_org_idx" ON "policy_service_orgs" USING btree ("service_org_uscc","policy_id");--> statement-breakpoint
CREATE INDEX "accidents_enterprise_idx" ON "accidents" USING btree ("enterprise_uscc","occurred_at");--> statement-breakpoint
CREATE INDEX "accidents_occurred_idx" ON "accidents" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "claim_payments_claim_idx" ON "claim_payments" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "claim_payments_paid_idx" ON "claim_payments" USING btree ("paid_at");--> statement-breakpoint
CREATE INDEX "claimants_claim_idx" ON "claimants" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "claims_policy_idx" ON "claims" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "claims_enterprise_idx" ON "claims" USING btree ("enterprise_uscc");--> statement-breakpoint
CREATE INDEX "claims_reported_idx" ON "claims" USING btree ("reported_at");--> statement-breakpoint
CREATE INDEX "claims_settled_idx" ON "claims" USING btree ("settled_at");--> statement-breakpoint
CREATE INDEX "hazards_service_idx" ON "hazards" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "hazards_policy_idx" ON "hazards" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "hazards_enterprise_idx" ON "hazards" USING btree ("enterprise_uscc","status");--> statement-breakpoint
CREATE INDEX "prevention_services_policy_idx" ON "prevention_services" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "prevention_services_enterprise_idx" ON "prevention_services" USING btree ("enterprise_uscc","performed_at");--> statement-breakpoint
CREATE INDEX "prevention_services_performed_idx" ON "prevention_services" USING btree ("performed_at");--> statement-breakpoint
CREATE INDEX "fund_entries_policy_idx" ON "fund_entries" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "fund_entries_booked_idx" ON "fund_entries" USING btree ("booked_at");--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_findings_open_unique" ON "compliance_findings" USING btree ("rule_code","subject_kind","subject_key") WHERE "compliance_findings"."status" = 'OPEN';--> statement-breakpoint
CREATE INDEX "compliance_findings_enterprise_idx" ON "compliance_findings" USING btree ("enterprise_uscc");--> statement-breakpoint
CREATE INDEX "compliance_findings_insurer_idx" ON "compliance_findings" USING btree ("insurer_uscc");--> statement-breakpoint
CREATE INDEX "compliance_findings_policy_idx" ON "compliance_findings" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "audit_log_org_idx" ON "audit_log" USING btree ("org","id");