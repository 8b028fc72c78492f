/**
 * Where a server's CPU went: a V8 .cpuprofile (node --cpu-prof) summed by self time per package
 * (graphql, @apollo/server, graphql-shield, drizzle-orm, pg, …), per hub source file, and per
 * function. `node dist/scripts/bench/profile.js FILE.cpuprofile` prints it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  /** sampled CPU time, idle excluded, ms */
  busyMs: number;
  byCategory: { category: string; ms: number; share: number }[];
  topFunctions: { fn: string; where: string; ms: number; share: number }[];
}

function category(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "garbage collection";
  if (fn === "(program)") return "(program: V8/native, unattributed)";
  if (!url) return fn.startsWith("(") ? fn : "native / builtins";
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "/node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) {
    if (/node:(net|_http|http|stream|internal\/(stream|http|net|streams|js_stream))/.test(url.replace("node:internal/", "node:internal/"))) return "node: http/net/streams";
    return "node: other internals";
  }
  const src = url.indexOf("/src/");
  if (src >= 0) return `hub ${url.slice(src + 1).replace(/\.js$/, "")}`;
  const scripts = url.indexOf("/scripts/");
  if (scripts >= 0) return `bench ${url.slice(scripts + 1)}`;
  return url;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const cats = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; us: number }>();
  let busy = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === "(idle)") continue;
    busy += us;
    const c = category(url, functionName);
    cats.set(c, (cats.get(c) ?? 0) + us);
    const where = url ? `${url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*\/(dist|src|scripts)\//, "$1/")}:${lineNumber + 1}` : "";
    const key = `${functionName}@${where}`;
    const f = fns.get(key) ?? { fn: functionName || "(anonymous)", where, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  const share = (us: number) => us / busy;
  return {
    file,
    busyMs: busy / 1000,
    byCategory: [...cats].sort((a, b) => b[1] - a[1]).map(([category, us]) => ({ category, ms: us / 1000, share: share(us) })),
    topFunctions: [...fns.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({ fn: f.fn, where: f.where, ms: f.us / 1000, share: share(f.us) })),
  };
}

/** The newest .cpuprofile in a directory. */
export function newestProfile(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).sort();
  return files.length ? join(dir, files[files.length - 1]) : null;
}

export function renderProfile(s: ProfileSummary, rows = 18): string {
  const L = [`CPU profile ${s.file}: ${(s.busyMs / 1000).toFixed(1)} s busy`, "", "| where | self ms | share |", "|---|---:|---:|"];
  for (const c of s.byCategory.slice(0, rows)) L.push(`| ${c.category} | ${c.ms.toFixed(0)} | ${(c.share * 100).toFixed(1)}% |`);
  L.push("", "| function | where | self ms | share |", "|---|---|---:|---:|");
  for (const f of s.topFunctions) L.push(`| ${f.fn} | ${f.where} | ${f.ms.toFixed(0)} | ${(f.share * 100).toFixed(1)}% |`);
  return L.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of process.argv.slice(2)) console.log(renderProfile(summarizeProfile(f)) + "\n");
}
