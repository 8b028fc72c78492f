import { idCheckChar } from "../../src/rules/identifiers.js";
import { F, goodPolicy } from "./fixture.js";
import type { asRole } from "./graphql.js";
import { ok } from "./graphql.js";

/**
 * Claims on top of the hand-made registry of fixture.ts. Every policy here covers 2025 (in the past
 * whatever day the tests run, so "not in the future" never interferes with a period boundary).
 *
 * | policy      | lead      | co-insurer    | insures                         | note                       |
 * |-------------|-----------|---------------|---------------------------------|----------------------------|
 * | CL-A        | insurerA  | –             | chemicals                       |                            |
 * | CL-CO       | insurerA  | insurerB 40 % | chemicals + construction (park) |                            |
 * | CL-B        | insurerB  | –             | construction                    |                            |
 * | CL-CANCEL   | insurerA  | –             | xiamenChem                      | cancelled 2025-07-01 00:00 |
 */
export const PERIOD = { startAt: "2025-01-01T00:00:00+08:00", endAt: "2026-01-01T00:00:00+08:00" };
export const CANCELLED_AT = "2025-07-01T00:00:00+08:00";

/** A valid resident ID number (GB 11643) for a region, birth date and sequence. */
export function idNumber(birth = "19850315", seq = "123", region = "500112"): string {
  const first17 = region + birth + seq;
  return first17 + idCheckChar(first17);
}

/** goodPolicy over the 2025 period. */
export function pastPolicy(policyNo: string, enterprise = F.chemicals, headcount = 100) {
  return { ...goodPolicy(policyNo, enterprise, headcount), ...PERIOD };
}

/** A valid claim report on CL-A for chemicals, to be varied field by field. */
export function goodClaim(claimRef: string, extra: Record<string, unknown> = {}) {
  return {
    policyNo: "CL-A",
    claimRef,
    enterpriseUscc: F.chemicals,
    reportedAt: "2025-03-02T09:00:00+08:00",
    reserve: "80000.00",
    claimants: [
      { kind: "EMPLOYEE", name: "张三", idNumber: idNumber(), injury: "左臂骨折" },
      { kind: "THIRD_PARTY", name: "李四", idNumber: idNumber("19900101", "456") },
    ],
    ...extra,
  };
}

/** Files the policies of the table above through the API, as their insurers would. */
export async function loadClaimPolicies(run: ReturnType<typeof asRole>): Promise<void> {
  const file = `mutation($input: PolicyInput!, $key: String!) { filePolicy(input: $input, idempotencyKey: $key) { accepted } }`;
  ok(await run("INSURER", F.insurerA, file, { input: pastPolicy("CL-A"), key: "fx-cl-a" }));
  ok(
    await run("INSURER", F.insurerA, file, {
      input: {
        ...pastPolicy("CL-CO"),
        insuredEnterprises: [{ uscc: F.chemicals, insuredHeadcount: 100 }, { uscc: F.construction, insuredHeadcount: 40 }],
        coinsurers: [{ insurerUscc: F.insurerA, share: "0.6" }, { insurerUscc: F.insurerB, share: "0.4" }],
      },
      key: "fx-cl-co",
    }),
  );
  ok(await run("INSURER", F.insurerB, file, { input: pastPolicy("CL-B", F.construction, 40), key: "fx-cl-b" }));
  ok(await run("INSURER", F.insurerA, file, { input: pastPolicy("CL-CANCEL", F.xiamenChem, 30), key: "fx-cl-cancel" }));
  const cancel = `mutation($no: String!, $at: DateTime!, $reason: String!, $key: String!) { cancelPolicy(policyNo: $no, cancelledAt: $at, reason: $reason, idempotencyKey: $key) { policy { status } } }`;
  ok(await run("INSURER", F.insurerA, cancel, { no: "CL-CANCEL", at: CANCELLED_AT, reason: "企业关闭 / enterprise closed", key: "fx-cl-cancel-c" }));
}
