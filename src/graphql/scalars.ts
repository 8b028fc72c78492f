import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

/** Yuan with up to 2 decimals, exchanged as a decimal string ("1234.50") so no float ever touches money. */
export const MoneyScalar = new GraphQLScalarType({
  name: "Money",
  description: "金额（元），十进制字符串，最多两位小数 / Money in yuan as a decimal string, at most 2 decimals",
  serialize: (v) => String(v),
  parseValue: (v) => parseDecimal(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? parseDecimal(ast.value) : invalid("Money")),
});

/** Ratios and rates (0.0500 = 5 %), exchanged as decimal strings. */
export const DecimalScalar = new GraphQLScalarType({
  name: "Decimal",
  description: "十进制小数字符串（比例、费率）/ Exact decimal as a string (ratios, rates)",
  serialize: (v) => String(v),
  parseValue: (v) => parseDecimal(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? parseDecimal(ast.value) : invalid("Decimal")),
});

function parseDecimal(v: unknown): string {
  const s = typeof v === "number" ? String(v) : v;
  if (typeof s !== "string" || !/^-?\d+(\.\d+)?$/.test(s.trim())) throw invalid("Decimal");
  return s.trim();
}

const CST_OFFSET_MS = 8 * 3600_000;

/** ISO-8601 instant; always shown in China Standard Time (+08:00). Input must carry an offset. */
export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  description: "时间（ISO 8601，北京时间 +08:00 显示）/ Instant in ISO 8601, shown in China Standard Time",
  serialize: (v) => formatCst(v instanceof Date ? v : new Date(String(v))),
  parseValue: (v) => parseInstant(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseInstant(ast.value) : invalid("DateTime")),
});

export function formatCst(d: Date): string {
  const shifted = new Date(d.getTime() + CST_OFFSET_MS).toISOString(); // 2025-04-01T00:00:00.000Z
  return shifted.slice(0, 19) + "+08:00";
}

function parseInstant(v: unknown): Date {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) throw invalid("DateTime");
  const d = new Date(v);
  // Date rolls 2026-02-30 over to 2 March: an impossible calendar date is refused, not moved
  if (Number.isNaN(d.getTime()) || !isCalendarDate(v.slice(0, 10))) throw invalid("DateTime");
  return d;
}

/** A calendar date (YYYY-MM-DD) in China Standard Time. */
export const LocalDateScalar = new GraphQLScalarType({
  name: "LocalDate",
  description: "日期 YYYY-MM-DD（北京时间）/ Calendar date in China Standard Time",
  serialize: (v) => (v instanceof Date ? formatCst(v).slice(0, 10) : String(v)),
  parseValue: (v) => parseDate(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseDate(ast.value) : invalid("LocalDate")),
});

const isCalendarDate = (ymd: string) => !Number.isNaN(Date.parse(ymd + "T00:00:00Z")) && new Date(ymd + "T00:00:00Z").toISOString().slice(0, 10) === ymd;

function parseDate(v: unknown): string {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v) || !isCalendarDate(v)) throw invalid("LocalDate");
  return v;
}

function invalid(name: string): GraphQLError {
  return new GraphQLError(`格式错误 / invalid ${name}`, { extensions: { code: "BAD_USER_INPUT", rule: `format:${name}` } });
}
