import type { ACCIDENT_GRADES } from "../domain/vocabulary.js";

export type AccidentGrade = (typeof ACCIDENT_GRADES)[number];

export const ACCIDENT_GRADE_SOURCE = "《生产安全事故报告和调查处理条例》(国务院令第493号) 第三条";

/** Chinese labels, as the 条例 names the grades. */
export const ACCIDENT_GRADE_LABELS: Record<AccidentGrade, string> = {
  GENERAL: "一般",
  LARGER: "较大",
  MAJOR: "重大",
  EXTRAORDINARY: "特别重大",
};

/**
 * 第三条 thresholds, highest grade first. "以上" includes the bound (第三条 last paragraph:
 * 本条所称的"以上"包括本数), so each value is the smallest figure that reaches the grade.
 * Loss is in yuan as a decimal string and compared in fen, never as a float.
 */
export const ACCIDENT_GRADE_THRESHOLDS: ReadonlyArray<{
  grade: Exclude<AccidentGrade, "GENERAL">;
  deaths: number;
  seriousInjuries: number;
  directLoss: string;
  source: string;
}> = [
  { grade: "EXTRAORDINARY", deaths: 30, seriousInjuries: 100, directLoss: "100000000.00", source: `${ACCIDENT_GRADE_SOURCE}(一)` },
  { grade: "MAJOR", deaths: 10, seriousInjuries: 50, directLoss: "50000000.00", source: `${ACCIDENT_GRADE_SOURCE}(二)` },
  { grade: "LARGER", deaths: 3, seriousInjuries: 10, directLoss: "10000000.00", source: `${ACCIDENT_GRADE_SOURCE}(三)` },
];

/** Yuan as a non-negative decimal string with at most 2 decimals ("12", "12.5", "12.50") → integer fen. */
export function yuanToFen(yuan: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) throw new RangeError(`not a yuan amount with at most 2 decimals: ${JSON.stringify(yuan)}`);
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
}

export interface AccidentFigures {
  deaths: number;
  seriousInjuries: number;
  directLoss: string;
}

/** The highest grade any of the three criteria reaches. */
export function accidentGrade({ deaths, seriousInjuries, directLoss }: AccidentFigures): AccidentGrade {
  for (const [k, v] of [["deaths", deaths], ["seriousInjuries", seriousInjuries]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${k} must be a non-negative integer, got ${v}`);
  }
  const loss = yuanToFen(directLoss);
  for (const t of ACCIDENT_GRADE_THRESHOLDS) {
    if (deaths >= t.deaths || seriousInjuries >= t.seriousInjuries || loss >= yuanToFen(t.directLoss)) return t.grade;
  }
  return "GENERAL";
}

const GRADE_ORDER: readonly AccidentGrade[] = ["GENERAL", "LARGER", "MAJOR", "EXTRAORDINARY"];

/** True when `grade` is `atLeast` or more serious (e.g. 较大以上). */
export const gradeAtLeast = (grade: AccidentGrade, atLeast: AccidentGrade) =>
  GRADE_ORDER.indexOf(grade) >= GRADE_ORDER.indexOf(atLeast);
