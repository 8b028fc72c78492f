import { sql } from "drizzle-orm";
import { SignJWT } from "jose";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTokenArgs, UsageError } from "../../scripts/token.js";
import { signToken } from "../../src/auth/token.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";

const config = loadConfig({ PORT: "0" });
let database: Database;
let server: HttpServer;
let unmigratedReady: Response;

const json = { "content-type": "application/json" };
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/graphql`, { method: "POST", headers: { ...json, ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  database = await openDatabase({ dataDir: "memory://" });
  server = await startHttpServer({ config, database, schema: await buildHubSchema(), port: 0 });
  unmigratedReady = await fetch(`${server.url}/readyz`);
  await database.migrate();
  // the registry the tokens below name: a token's org must be a registered organisation of its role's kind
  await database.db.execute(sql`insert into regions (code, name, parent_code, level) values ('500000', '重庆市', null, 1)`);
  await database.db.execute(sql`insert into agencies (id, region_code, kind, name) values
    ('500000-COMMITTEE_OFFICE', '500000', 'COMMITTEE_OFFICE', '重庆市安委办'),
    ('500000-FINANCIAL_REGULATOR', '500000', 'FINANCIAL_REGULATOR', '重庆金融监管局'),
    ('500000-EMERGENCY', '500000', 'EMERGENCY', '重庆市应急管理局')`);
  await database.db.execute(sql`insert into insurers (uscc, name, short_name) values ('91500000MA5U000000', '某财产保险股份有限公司重庆分公司', '某财险')`);
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe("health", () => {
  it("/healthz answers ok", async () => {
    const r = await fetch(`${server.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ok" });
  });

  it("/readyz is 503 with a reason before migrations and 200 after", async () => {
    expect(unmigratedReady.status).toBe(503);
    expect((await unmigratedReady.json()).reason).toMatch(/migrations not applied/);
    const r = await fetch(`${server.url}/readyz`);
    expect(r.status).toBe(200);
  });

  it("an unknown path is a JSON 404", async () => {
    const r = await fetch(`${server.url}/nope`);
    expect(r.status).toBe(404);
    expect((await r.json()).errors[0].extensions.code).toBe("NOT_FOUND");
  });
});

describe("identity", () => {
  it("no Authorization header queries as PUBLIC", async () => {
    const r = await post({ query: "{ viewer { role org } }" });
    expect(r.status).toBe(200);
    expect((await r.json()).data.viewer).toEqual({ role: "PUBLIC", org: null });
  });

  it("a valid token is the caller it names", async () => {
    const token = await signToken(config.jwtSecret, { sub: "zhang", role: "INSURER", org: "91500000MA5U000000" });
    const r = await post({ query: "{ viewer { sub role org } }" }, bearer(token));
    expect((await r.json()).data.viewer).toEqual({ sub: "zhang", role: "INSURER", org: "91500000MA5U000000" });
  });

  const claims = { sub: "x", role: "INSURER" as const, org: "91500000MA5U000000" };
  const rejected: [string, () => Promise<string>][] = [
    ["a token signed with another secret", async () => `Bearer ${await signToken("some-other-secret", claims)}`],
    ["an expired token", async () => `Bearer ${await signToken(config.jwtSecret, claims, "-1h")}`],
    ["a token without exp", async () =>
      `Bearer ${await new SignJWT({ role: "INSURER", org: claims.org }).setProtectedHeader({ alg: "HS256" }).setSubject("x").sign(new TextEncoder().encode(config.jwtSecret))}`],
    ["a token claiming the PUBLIC role", async () => `Bearer ${await signToken(config.jwtSecret, { ...claims, role: "PUBLIC" })}`],
    ["a token without org", async () => `Bearer ${await signToken(config.jwtSecret, { ...claims, org: null })}`],
    ["an INSURER token naming an unregistered org", async () => `Bearer ${await signToken(config.jwtSecret, { ...claims, org: "91500000MA5U999999" })}`],
    ["an INSURER token naming an agency", async () => `Bearer ${await signToken(config.jwtSecret, { ...claims, org: "500000-EMERGENCY" })}`],
    ["a SECTOR_DEPARTMENT token naming the financial regulator", async () =>
      `Bearer ${await signToken(config.jwtSecret, { sub: "x", role: "SECTOR_DEPARTMENT", org: "500000-FINANCIAL_REGULATOR" })}`],
    ["a SECTOR_DEPARTMENT token naming the committee office", async () =>
      `Bearer ${await signToken(config.jwtSecret, { sub: "x", role: "SECTOR_DEPARTMENT", org: "500000-COMMITTEE_OFFICE" })}`],
    ["a FINANCIAL_REGULATOR token naming a sector department", async () =>
      `Bearer ${await signToken(config.jwtSecret, { sub: "x", role: "FINANCIAL_REGULATOR", org: "500000-EMERGENCY" })}`],
    ["a COMMITTEE_OFFICE token naming a sector department", async () =>
      `Bearer ${await signToken(config.jwtSecret, { sub: "x", role: "COMMITTEE_OFFICE", org: "500000-EMERGENCY" })}`],
    ["an ENTERPRISE token naming an insurer", async () => `Bearer ${await signToken(config.jwtSecret, { ...claims, role: "ENTERPRISE" })}`],
    ["Bearer abc", async () => "Bearer abc"],
    ["Basic x", async () => "Basic x"],
    ["an empty header", async () => ""],
  ];
  it.each(rejected)("%s → 401 UNAUTHENTICATED, never PUBLIC", async (_label, header) => {
    const r = await post({ query: "{ viewer { role } }" }, { authorization: await header() });
    expect(r.status).toBe(401);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await r.json();
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(body.errors[0].message).toMatch(/[\u4e00-\u9fff].* \/ /);
  });

  it("a token from the token CLI's arguments is accepted", async () => {
    const { claims, ttl } = parseTokenArgs(["--role", "committee_office", "--org", "500000-COMMITTEE_OFFICE", "--purpose", "季度检查"]);
    const r = await post({ query: "{ viewer { role org purpose } }" }, bearer(await signToken(config.jwtSecret, claims, ttl)));
    expect((await r.json()).data.viewer).toEqual({ role: "COMMITTEE_OFFICE", org: "500000-COMMITTEE_OFFICE", purpose: "季度检查" });
  });
});

describe("GraphQL over HTTP", () => {
  it("GET works for queries once CSRF prevention is satisfied, and is refused without a preflight header", async () => {
    const url = `${server.url}/graphql?query=${encodeURIComponent("{ viewer { role } }")}`;
    expect((await fetch(url)).status).toBe(400);
    const r = await fetch(url, { headers: { "apollo-require-preflight": "1" } });
    expect(r.status).toBe(200);
    expect((await r.json()).data.viewer.role).toBe("PUBLIC");
  });

  it("a text/plain POST (a cross-site form) is refused", async () => {
    const r = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "{ viewer { role } }" }) });
    expect(r.status).toBe(400);
  });

  it("a batched array body is refused", async () => {
    const r = await post([{ query: "{ viewer { role } }" }, { query: "{ viewer { role } }" }]);
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toMatch(/batching disabled/i);
  });

  it("a body that is not JSON is a 400", async () => {
    const r = await post("{ not json");
    expect(r.status).toBe(400);
    expect((await r.json()).errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("a body over 1 MB is a 413, whether announced by Content-Length or streamed", async () => {
    const big = JSON.stringify({ query: "{ viewer { role } }", variables: { pad: "x".repeat(1024 * 1024) } });
    const announced = await post(big);
    expect(announced.status).toBe(413);

    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
        c.close();
      },
    });
    const streamed = await fetch(`${server.url}/graphql`, { method: "POST", headers: json, body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).errors[0].message).toMatch(/1 MB/);
  });

  it("a body just under the limit is served", async () => {
    const r = await post({ query: "{ viewer { role } }", variables: { pad: "x".repeat(1000 * 1000) } });
    expect(r.status).toBe(200);
  });
});

describe("GraphiQL", () => {
  const ABSOLUTE_URL = /https?:\/\//;

  it("serves a self-contained page with strict security headers", async () => {
    const r = await fetch(`${server.url}/graphiql`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = r.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    expect(r.headers.get("referrer-policy")).toBe("no-referrer");

    const html = await r.text();
    expect(html).toContain("<title>安责险数据共享枢纽 GraphiQL</title>");
    expect(html).not.toMatch(ABSOLUTE_URL);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs.sort()).toEqual(
      ["graphiql.min.css", "graphiql.min.js", "init.js", "react-dom.production.min.js", "react.production.min.js"].map((f) => `/graphiql/assets/${f}`),
    );

    for (const ref of refs) {
      const a = await fetch(server.url + ref);
      expect(a.status, ref).toBe(200);
      expect(a.headers.get("content-type"), ref).toMatch(ref.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
      expect(a.headers.get("cache-control"), ref).toBe("public, max-age=86400");
      expect(a.headers.get("x-content-type-options"), ref).toBe("nosniff");
      const text = await a.text();
      // the libraries mention URLs in licences and messages; none may load from a CDN
      expect(text, ref).not.toMatch(/unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|esm\.sh/);
      if (ref.endsWith(".css")) {
        expect(text).not.toMatch(/@import/);
        for (const [, target] of text.matchAll(/url\(\s*["']?([^"')]*)/g)) expect(target, "css url()").toMatch(/^(data:|#)/);
      }
      if (ref.endsWith("init.js")) {
        expect(text).not.toMatch(ABSOLUTE_URL);
        expect(text).toContain("url: \"/graphql\"");
        expect(text).toContain("在此粘贴令牌/paste-token-here");
      }
    }
  });

  it("answers a revalidation with 304 and compresses on request", async () => {
    const first = await fetch(`${server.url}/graphiql/assets/graphiql.min.css`);
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    expect((await fetch(`${server.url}/graphiql/assets/graphiql.min.css`, { headers: { "if-none-match": etag } })).status).toBe(304);
    // fetch sends Accept-Encoding: gzip and decodes transparently
    expect(first.headers.get("content-encoding")).toBe("gzip");
  });

  it("init.js drops the untouched placeholder token and keeps a pasted one", () => {
    const sent: unknown[] = [];
    let props: any;
    runInNewContext(readFileSync(new URL("../../src/http/graphiql-init.js", import.meta.url), "utf8"), {
      GraphiQL: { createFetcher: () => (_params: unknown, opts: unknown) => sent.push(opts) },
      React: { createElement: (_c: unknown, p: unknown) => p },
      ReactDOM: { createRoot: () => ({ render: (p: unknown) => (props = p) }) },
      document: { getElementById: () => ({}) },
    });
    expect(JSON.parse(props.defaultHeaders)).toEqual({ Authorization: "Bearer 在此粘贴令牌/paste-token-here" });
    expect(props.defaultEditorToolsVisibility).toBe("headers");
    props.fetcher({ query: "{ viewer { role } }" }, { headers: JSON.parse(props.defaultHeaders) });
    props.fetcher({ query: "{ viewer { role } }" }, { headers: { authorization: "Bearer eyJ.real.token", "x-other": "1" } });
    expect(sent).toEqual([{ headers: {} }, { headers: { authorization: "Bearer eyJ.real.token", "x-other": "1" } }]);
  });

  it("an unknown asset is a 404, not a file read", async () => {
    for (const path of ["/graphiql/assets/nope.js", "/graphiql/assets/..%2F..%2Fpackage.json", "/graphiql/assets/constructor"]) {
      expect((await fetch(server.url + path)).status, path).toBe(404);
    }
  });
});

describe("token CLI arguments", () => {
  it("accepts the documented form, with defaults", () => {
    expect(parseTokenArgs(["--role", "INSURER", "--org", "91500000MA5U000000"])).toEqual({
      claims: { sub: "cli", role: "INSURER", org: "91500000MA5U000000", purpose: null },
      ttl: "8h",
    });
  });

  it.each([
    [["--org", "x"]],
    [["--role", "PUBLIC", "--org", "x"]],
    [["--role", "KING", "--org", "x"]],
    [["--role", "INSURER"]],
    [["--role", "INSURER", "--org", "x", "--ttl", "-1h"]],
    [["--role", "INSURER", "--org", "x", "--ttl", "forever"]],
    [["--role", "INSURER", "--org", "x", "--colour", "red"]],
    [["--role", "INSURER", "--org", "x", "extra"]],
  ])("refuses %j", (argv) => {
    expect(() => parseTokenArgs(argv)).toThrow(UsageError);
  });
});

describe("close", () => {
  it("lets an in-flight request finish, then stops accepting connections", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const bytes = new TextEncoder().encode(JSON.stringify({ query: "{ viewer { role } }" }));
    const stream = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(bytes.subarray(0, 5));
        await gate;
        c.enqueue(bytes.subarray(5));
        c.close();
      },
    });
    const url = server.url;
    const inFlight = fetch(`${url}/graphql`, { method: "POST", headers: json, body: stream, duplex: "half" } as RequestInit);
    await new Promise((r) => setTimeout(r, 100)); // the server has the request, not yet its body
    const closed = server.close();
    release();
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect((await r.json()).data.viewer.role).toBe("PUBLIC");
    await closed;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
