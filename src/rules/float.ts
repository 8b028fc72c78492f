import { gradeAtLeast, type AccidentGrade } from "./accidents.js";
import { CST_OFFSET_MS } from "./calendar.js";
import type { EffectiveRules } from "./profiles.js";

export interface AccidentRecord {
  occurredAt: Date;
  grade: AccidentGrade;
  deaths: number;
}

export interface RateHistory {
  accidents: readonly AccidentRecord[];
  /** Major hazards (重大隐患) the enterprise refused or failed to rectify; the caller decides which statuses count. */
  unrectifiedMajorHazards: number;
  asOf: Date;
  /** Start of the enterprise's accident record in the hub; an accident-free streak can't be longer than the record. */
  recordsSince?: Date;
}

/**
 * Allowed deviation from the base guide rate (charged rate = base × (1 + deviation)).
 * null on a side = no bound is set by any applicable document on that side.
 */
export interface FloatBand {
  min: string | null;
  max: string | null;
  reason: string;
  source: string;
  /** The insurer may raise next year's rate because of an unrectified major hazard. */
  hazardSurchargeAllowed: boolean;
}

const cstYear = (d: Date) => new Date(d.getTime() + CST_OFFSET_MS).getUTCFullYear();

/** Same wall-clock instant `years` earlier (UTC arithmetic equals CST arithmetic at a fixed offset). */
function yearsBefore(d: Date, years: number): Date {
  const x = new Date(d.getTime());
  x.setUTCFullYear(x.getUTCFullYear() - years);
  return x;
}

/**
 * The band for the next policy year, per 渝府办发〔2017〕182号 二(五) (the only seed with a band):
 * - normal: ±40%;
 * - "发生较大以上事故": a LARGER-or-worse accident in the 12 months up to asOf raises the ceiling to +150%;
 * - "连续2年发生亡人事故": fatal accidents in two consecutive calendar years (CST) among the two
 *   previous years and the current one so far, i.e. (Y-2 and Y-1) or (Y-1 and Y), raise it too;
 * - "连续3年未发生事故": no accident of any grade in the 3 years up to asOf (and a record that long)
 *   lifts the floor; the document names no limit, so min is null.
 * Unrectified major hazards (渝府办发〔2017〕182号 二(八), 厦应急规〔2022〕2号 二(六): "可在下一投保年度上浮")
 * justify a raise but neither document widens the band for it, so they only set hazardSurchargeAllowed.
 * The hub's own choice (no document says so): they also keep the deeper discount closed, since
 * "连续3年未发生事故" rewards a safety record that a refused major hazard contradicts.
 * Accidents after asOf are ignored.
 */
export function rateFloatBand(rules: EffectiveRules, history: RateHistory): FloatBand {
  const { asOf } = history;
  const past = history.accidents.filter((a) => a.occurredAt.getTime() <= asOf.getTime());
  const hazardRule = rules.hazardRefusalRaise?.value ? rules.hazardRefusalRaise : undefined;
  const hazardSurchargeAllowed = history.unrectifiedMajorHazards > 0 && hazardRule !== undefined;
  const hazardNote = hazardSurchargeAllowed ? `; ${history.unrectifiedMajorHazards} unrectified major hazard(s) allow a raise within the band` : "";
  const hazardSources = hazardSurchargeAllowed ? hazardRule!.sources : [];

  const band = rules.rateFloatBand;
  if (!band) {
    return {
      min: null,
      max: null,
      reason: `no applicable profile sets a rate float band${hazardNote}`,
      source: hazardSources.join("; "),
      hazardSurchargeAllowed,
    };
  }
  const source = [...band.sources, ...hazardSources].join("; ");
  const { normal, afterSeriousAccident, accidentFreeYearsForDeeperDiscount: freeYears } = band.value;

  const yearAgo = yearsBefore(asOf, 1).getTime();
  const serious = past.find((a) => a.occurredAt.getTime() > yearAgo && gradeAtLeast(a.grade, "LARGER"));
  const y = cstYear(asOf);
  const fatalYears = new Set(past.filter((a) => a.deaths > 0).map((a) => cstYear(a.occurredAt)));
  const consecutive = fatalYears.has(y - 1) && (fatalYears.has(y - 2) || fatalYears.has(y));
  if (serious || consecutive) {
    const why = serious ? "较大以上事故 within the last 12 months" : "亡人事故 in 2 consecutive calendar years";
    return { min: normal[0], max: afterSeriousAccident, reason: `${why}: ceiling raised${hazardNote}`, source, hazardSurchargeAllowed };
  }

  const since = yearsBefore(asOf, freeYears).getTime();
  const accidentFree = !past.some((a) => a.occurredAt.getTime() > since);
  const longEnough = !history.recordsSince || history.recordsSince.getTime() <= since;
  if (accidentFree && longEnough && !hazardSurchargeAllowed) {
    return { min: null, max: normal[1], reason: `no accident in ${freeYears} years: discount may exceed the normal floor`, source, hazardSurchargeAllowed };
  }
  return { min: normal[0], max: normal[1], reason: `normal band${hazardNote}`, source, hazardSurchargeAllowed };
}
