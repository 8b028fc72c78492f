import { describe, expect, it } from "vitest";
import { idCheckChar, idNumberProblem, maskIdNumber, maskName, usccCheckChar, usccProblem } from "../../src/rules/identifiers.js";

describe("USCC (GB 32100-2015)", () => {
  it("accepts valid codes", () => {
    expect(usccProblem("91110000600037341L")).toBeNull();
    expect(usccProblem("91500000MA5U000A07")).toBeNull();
    expect(usccCheckChar("91411025MA9F00000")).toBe("P");
  });
  it("names each problem", () => {
    expect(usccProblem("91110000600037341")).toBe("length");
    expect(usccProblem("91110000600037341LL")).toBe("length");
    expect(usccProblem("9111000060003734IL")).toBe("charset"); // I is not in the alphabet
    expect(usccProblem("91110000600037341l")).toBe("charset");
    expect(usccProblem("91110000600037341M")).toBe("check_digit");
  });
});

describe("居民身份证号 (GB 11643)", () => {
  const today = new Date("2025-06-01T00:00:00+08:00");
  it("accepts valid numbers, including an X check character", () => {
    expect(idNumberProblem("11010519491231002X", today)).toBeNull();
    expect(idNumberProblem("50010119900101123X", today)).toBeNull();
    expect(idNumberProblem("411025200002290015", today)).toBeNull(); // 2000-02-29 exists
    expect(idCheckChar("11010519491231002")).toBe("X");
    expect(idCheckChar("1101051949123100")).toBeNull();
  });
  it("rejects wrong lengths", () => {
    expect(idNumberProblem("11010519491231002", today)).toBe("length");
    expect(idNumberProblem("110105194912310", today)).toBe("length"); // 15-digit first generation
  });
  it("rejects bad characters", () => {
    expect(idNumberProblem("11010519491231002x", today)).toBe("charset");
    expect(idNumberProblem("1101051949123100X2", today)).toBe("charset");
    expect(idNumberProblem("11010519491231002Y", today)).toBe("charset");
  });
  it("rejects impossible, pre-1900 and future birth dates", () => {
    expect(idNumberProblem("411025200102290012", today)).toBe("birth_date"); // 2001-02-29
    expect(idNumberProblem("440524188001010014", today)).toBe("birth_date"); // check digit fine, born 1880
    expect(idNumberProblem("500101209912310018", today)).toBe("birth_date");
    expect(idNumberProblem("500101199013010010", today)).toBe("birth_date"); // month 13
  });
  it("compares the birth date with today's CST date", () => {
    // born 2025-06-01: valid from 00:00 CST that day, which is still 31 May in UTC
    const id = "500101202506010010".slice(0, 17);
    const full = id + idCheckChar(id);
    expect(idNumberProblem(full, new Date("2025-05-31T16:00:00Z"))).toBeNull();
    expect(idNumberProblem(full, new Date("2025-05-31T15:59:59Z"))).toBe("birth_date");
  });
  it("rejects a wrong check digit", () => {
    expect(idNumberProblem("110105194912310021", today)).toBe("check_digit");
  });
});

describe("masking", () => {
  it("keeps the first character of a name", () => {
    expect(maskName("张三丰")).toBe("张**");
    expect(maskName("李四")).toBe("李*");
    expect(maskName("王")).toBe("*");
    expect(maskName("")).toBe("");
    expect(maskName("𠮷田")).toBe("𠮷*");
  });
  it("keeps the first 3 and last 4 of an ID number", () => {
    expect(maskIdNumber("500101199001011234")).toBe("500***********1234");
    expect(maskIdNumber("11010519491231002X")).toBe("110***********002X");
    expect(maskIdNumber("1234567")).toBe("*******");
  });
});
