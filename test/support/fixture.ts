import type { Db } from "../../src/db/client.js";
import { sampleFiling } from "../../src/demo/filing.js";
import { usccCheckChar } from "../../src/rules/identifiers.js";
import { agencies, agencySectors, enterprises, insurers, qualifications, regions, serviceOrgs } from "../../schema/index.js";

/** A valid USCC for a region and a serial: "91" + region + 9 characters + check character. */
export function uscc(region: string, serial: number): string {
  const first17 = `91${region}${String(serial).padStart(9, "0")}`;
  return first17 + usccCheckChar(first17);
}

export const F = {
  insurerA: uscc("110000", 1),
  insurerB: uscc("110000", 2),
  insurerSuspended: uscc("110000", 3),
  serviceOrg: uscc("500112", 900),
  chemicals: uscc("500112", 1), // Chongqing, hazardous chemicals, 100 workers
  construction: uscc("500112", 2), // Chongqing, construction, 40 workers
  xiamenChem: uscc("350203", 1), // Xiamen, hazardous chemicals, 30 workers
  closed: uscc("500112", 3), // Chongqing, chemicals, closed
};

/** A small hand-made registry: every figure a write test expects follows from these rows. */
export async function loadFixture(db: Db): Promise<void> {
  await db.insert(regions).values([
    { code: "500000", name: "重庆市", parentCode: null, level: 1 },
    { code: "500112", name: "渝北区", parentCode: "500000", level: 3 },
    { code: "350000", name: "福建省", parentCode: null, level: 1 },
    { code: "350200", name: "厦门市", parentCode: "350000", level: 2 },
    { code: "350203", name: "思明区", parentCode: "350200", level: 3 },
  ]);
  await db.insert(agencies).values([
    { id: "500000-COMMITTEE_OFFICE", regionCode: "500000", kind: "COMMITTEE_OFFICE", name: "重庆市安委会办公室" },
    { id: "500000-EMERGENCY", regionCode: "500000", kind: "EMERGENCY", name: "重庆市应急管理局" },
    { id: "500000-HOUSING", regionCode: "500000", kind: "HOUSING", name: "重庆市住房和城乡建设委员会" },
    { id: "350200-EMERGENCY", regionCode: "350200", kind: "EMERGENCY", name: "厦门市应急管理局" },
  ]);
  await db.insert(agencySectors).values([
    { agencyId: "500000-EMERGENCY", sector: "HAZARDOUS_CHEMICALS" },
    { agencyId: "500000-HOUSING", sector: "CONSTRUCTION" },
    { agencyId: "350200-EMERGENCY", sector: "HAZARDOUS_CHEMICALS" },
  ]);
  await db.insert(insurers).values([
    { uscc: F.insurerA, name: "甲财产保险股份有限公司", shortName: "甲财险" },
    { uscc: F.insurerB, name: "乙财产保险股份有限公司", shortName: "乙财险" },
    { uscc: F.insurerSuspended, name: "丙财产保险股份有限公司", shortName: "丙财险" },
  ]);
  await db.insert(qualifications).values([
    { orgUscc: F.insurerA, orgKind: "INSURER", regionCode: "500000", status: "QUALIFIED" },
    { orgUscc: F.insurerB, orgKind: "INSURER", regionCode: "500000", status: "QUALIFIED" },
    { orgUscc: F.insurerSuspended, orgKind: "INSURER", regionCode: "500000", status: "SUSPENDED" },
    { orgUscc: F.insurerA, orgKind: "INSURER", regionCode: "350200", status: "QUALIFIED" },
  ]);
  await db.insert(serviceOrgs).values([{ uscc: F.serviceOrg, name: "重庆安科安全技术服务有限公司" }]);
  const e = (u: string, regionCode: string, sector: string, industryCode: string, employeeCount: number, status = "OPERATING") => ({
    uscc: u, name: `企业${u.slice(-4)}`, regionCode, sector, industryCode, employeeCount, status, contactName: "王五", contactPhone: "13800000000",
  });
  await db.insert(enterprises).values([
    e(F.chemicals, "500112", "HAZARDOUS_CHEMICALS", "C2614", 100),
    e(F.construction, "500112", "CONSTRUCTION", "E4710", 40),
    e(F.xiamenChem, "350203", "HAZARDOUS_CHEMICALS", "C2614", 30),
    e(F.closed, "500112", "HAZARDOUS_CHEMICALS", "C2614", 10, "CLOSED"),
  ]);
}

/** A compliant filing for `enterprise`, to be varied field by field. */
export function goodPolicy(policyNo: string, enterprise = F.chemicals, headcount = 100) {
  return sampleFiling(policyNo, enterprise, headcount, { startAt: "2026-01-01T00:00:00+08:00", endAt: "2027-01-01T00:00:00+08:00" });
}
