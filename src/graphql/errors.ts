import { GraphQLError } from "graphql";

/** The error codes of CONTRACT.md. Messages are Chinese first, English after. */
export const forbidden = (what = "") =>
  new GraphQLError(`无权访问${what ? "：" + what : ""} / Forbidden${what ? ": " + what : ""}`, { extensions: { code: "FORBIDDEN" } });

export const notFound = (what: string) => new GraphQLError(`未找到 ${what} / Not found: ${what}`, { extensions: { code: "NOT_FOUND" } });

export const badInput = (field: string, rule: string, message: string) =>
  new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", field, rule } });

export const conflict = (message: string) => new GraphQLError(message, { extensions: { code: "CONFLICT" } });
