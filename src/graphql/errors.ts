import { GraphQLError } from "graphql";

/** The error codes of CONTRACT.md. Messages are Chinese first, English after. */
/** FORBIDDEN; `what` is "中文 / English" (each half said once) or one text for both. */
export const forbidden = (what = "") => {
  const at = what.indexOf(" / ");
  const [zh, en] = at >= 0 ? [what.slice(0, at), what.slice(at + 3)] : [what, what];
  return new GraphQLError(`无权访问${zh ? "：" + zh : ""} / Forbidden${en ? ": " + en : ""}`, { extensions: { code: "FORBIDDEN" } });
};

export const notFound = (what: string) => new GraphQLError(`未找到 ${what} / Not found: ${what}`, { extensions: { code: "NOT_FOUND" } });

export const badInput = (field: string, rule: string, message: string) =>
  new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", field, rule } });

export const conflict = (message: string) => new GraphQLError(message, { extensions: { code: "CONFLICT" } });
