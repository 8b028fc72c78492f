import { createHash } from "node:crypto";

/**
 * How an insurer's system pushes policy filings to the hub: batches through `filePolicies`, one
 * idempotency key per filing derived from its content, and retries on network errors and 5xx.
 * Because the key is derived from the content, a rerun of the same file after a crash or timeout
 * replays the earlier results instead of filing twice; a changed filing gets a new key and, if its
 * policy number exists with other content, comes back as CONFLICT (use amendPolicy for changes).
 */
export interface Filing {
  policyNo: string;
  [field: string]: unknown;
}

export interface PushOptions {
  url: string;
  token: string;
  batchSize?: number;
  retries?: number;
  /** first back-off in ms, doubled per attempt */
  backoffMs?: number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

export interface PushSummary {
  accepted: number;
  replayed: number;
  rejected: { policyNo: string; code: string | null; errors: { field: string; rule: string; message: string }[] }[];
  findings: number;
}

const MUTATION = `mutation FilePolicies($inputs: [PolicyFilingInput!]!) {
  filePolicies(inputs: $inputs) { idempotencyKey accepted replayed errorCode errors { field rule message } findings { ruleCode } }
}`;

export function filingKey(filing: Filing): string {
  const canonical = JSON.stringify(filing, Object.keys(filing).sort());
  return `${filing.policyNo}:${createHash("sha256").update(canonical).digest("hex").slice(0, 24)}`;
}

export async function pushFilings(filings: Filing[], opts: PushOptions): Promise<PushSummary> {
  const size = opts.batchSize ?? 500;
  const summary: PushSummary = { accepted: 0, replayed: 0, rejected: [], findings: 0 };
  for (let i = 0; i < filings.length; i += size) {
    const batch = filings.slice(i, i + size);
    const inputs = batch.map((input) => ({ idempotencyKey: filingKey(input), input }));
    const results = await postWithRetry(opts, { query: MUTATION, variables: { inputs } });
    results.forEach((r, j) => {
      if (r.accepted) {
        summary.accepted++;
        if (r.replayed) summary.replayed++;
        summary.findings += r.findings.length;
      } else summary.rejected.push({ policyNo: batch[j].policyNo, code: r.errorCode, errors: r.errors });
    });
    opts.log?.(`batch ${i / size + 1}: ${batch.length} filings, ${results.filter((r) => r.accepted).length} accepted`);
  }
  return summary;
}

interface ItemResult {
  accepted: boolean;
  replayed: boolean;
  errorCode: string | null;
  errors: { field: string; rule: string; message: string }[];
  findings: { ruleCode: string }[];
}

class Retryable extends Error {}

async function postWithRetry(opts: PushOptions, body: unknown): Promise<ItemResult[]> {
  const doFetch = opts.fetch ?? fetch;
  const retries = opts.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await doFetch(`${opts.url.replace(/\/$/, "")}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${opts.token}` },
        body: JSON.stringify(body),
      });
      if (res.status >= 500 || res.status === 429) throw new Retryable(`HTTP ${res.status}`);
      const json = (await res.json()) as { data?: { filePolicies: ItemResult[] }; errors?: { message: string; extensions?: { code?: string } }[] };
      if (json.errors?.length || !json.data) {
        const code = json.errors?.[0]?.extensions?.code;
        if (code === "INTERNAL_SERVER_ERROR" || code === "RATE_LIMITED") throw new Retryable(json.errors![0].message);
        throw new Error(`hub refused the batch: ${json.errors?.map((e) => `${e.extensions?.code}: ${e.message}`).join("; ")}`);
      }
      return json.data.filePolicies;
    } catch (e) {
      // network failures surface as TypeError from fetch; anything else is the hub's final word
      const retryable = e instanceof Retryable || e instanceof TypeError;
      if (!retryable || attempt >= retries) throw e;
      const wait = (opts.backoffMs ?? 500) * 2 ** attempt;
      opts.log?.(`attempt ${attempt + 1} failed (${(e as Error).message}); retrying in ${wait} ms`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** CSV with a header row; quoted fields may hold commas and doubled quotes. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows.filter((r) => r.some((f) => f !== ""));
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ""])));
}

/**
 * One CSV row per insured enterprise; rows sharing a policyNo form one (group) policy.
 * Lists (coverageItems) are separated by ";"; co-insurers as "USCC:share;USCC:share".
 */
export function filingsFromCsv(text: string): Filing[] {
  const byNo = new Map<string, Filing>();
  for (const r of parseCsv(text)) {
    const existing = byNo.get(r.policyNo);
    const insured = { uscc: r.enterpriseUscc, insuredHeadcount: Number(r.insuredHeadcount) };
    if (existing) {
      (existing.insuredEnterprises as unknown[]).push(insured);
      continue;
    }
    const list = (s: string | undefined) => (s ? s.split(";").map((x) => x.trim()).filter(Boolean) : []);
    const filing: Filing = {
      policyNo: r.policyNo,
      insuredEnterprises: [insured],
      startAt: r.startAt,
      endAt: r.endAt,
      premium: r.premium,
      baseRate: r.baseRate,
      rateFloat: r.rateFloat,
      commissionRatio: r.commissionRatio,
      preventionFundRatio: r.preventionFundRatio,
      deathLimitPerPerson: r.deathLimitPerPerson,
      coverageItems: list(r.coverageItems),
    };
    if (r.medicalLimitPerPerson) filing.medicalLimitPerPerson = r.medicalLimitPerPerson;
    if (r.thirdPartyLimit) filing.thirdPartyLimit = r.thirdPartyLimit;
    if (r.coinsurers) filing.coinsurers = list(r.coinsurers).map((c) => ({ insurerUscc: c.split(":")[0], share: c.split(":")[1] }));
    byNo.set(r.policyNo, filing);
  }
  return [...byNo.values()];
}
