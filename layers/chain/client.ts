// The HTTP client of the PBFT replicas (blockchain-nodes/src/runtime): what the ledger
// functions use to make a transaction final and to fetch its proof. It trusts no single
// replica: a transaction is final when f+1 replicas report it committed in the same block
// (one of them is honest), or when a commit certificate checked against genesis says so; a
// proof is returned only once it verifies against genesis.
//
// The replica API it speaks (see blockchain-nodes/README.md, "Replica HTTP API"):
//   POST /transactions?wait=MS      body: the signed transaction (or a list of them: {results: [{status, body}…]})
//     200 {status:'committed', height, blockHash, transactionHash} · 202 {status:'pending'}
//     400/409/413 {error:{code,message}}: refused, and why · 503 not ready here, ask another
//   GET  /transactions/{id}/proof   200 TransactionProof · 404
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/config';
import { ChainRejectedError, ChainUnavailableError, type ChainClient, type FinalReceipt } from './port';
import { chainOf, verifyTransactionProof, type TransactionProof, genesisProblems, type Chain, type Genesis, transactionHash, type Transaction, defaultVerifier, type Verifier } from '../../blockchain-nodes/protocol';

export interface ChainClientOptions {
  /** Base URLs of the replicas, e.g. http://127.0.0.1:4006. Any order. */
  nodes: string[];
  genesis: Genesis;
  /** Default deadline of submitAndAwaitFinal, and of proofOf. */
  timeoutMs?: number;
  /** Pause before asking a replica again after it failed or answered "pending". */
  pollMs?: number;
  /** Longest a replica is asked to hold one request open while waiting for a commit. */
  longPollMs?: number;
  /** With one replica reporting the commit and no second yet after this long, its commit certificate is fetched and checked instead. */
  certificateAfterMs?: number;
  verify?: Verifier;
}

interface Reply {
  status: number;
  body: any;
}

/** A reply body: its JSON, or the text itself when it is not JSON (an error page), or undefined when empty. */
function jsonOrText(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One JSON request over a keep-alive connection. Rejects on network errors and on `timeoutMs`. */
function requestJson(agent: http.Agent, method: string, url: URL, body: string | undefined, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(
      url,
      {
        method,
        agent,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: jsonOrText(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

interface Queued {
  body: string;
  deadline: number;
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/**
 * Submissions to one replica. Those made in the same turn of the event loop leave together, as
 * one request carrying a list, and the replica streams back each one's answer as soon as it is
 * settled: under load a request carries many transactions, alone it carries one, and nobody
 * waits for anybody else.
 */
class ReplicaSubmitter {
  private readonly queue: Queued[] = [];
  private scheduled = false;

  constructor(
    private readonly node: URL,
    private readonly agent: http.Agent,
    private readonly longPollMs: number,
    private readonly maxBatch = 500,
  ) {}

  submit(body: string, deadline: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ body, deadline, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const items = this.queue.splice(0, this.maxBatch);
      const now = Date.now();
      const wait = Math.max(0, Math.min(this.longPollMs, ...items.map((i) => i.deadline - now - 50)));
      const single = items.length === 1;
      // every replica gets it from the client, so none needs to relay it to the primary
      const url = new URL(`transactions?wait=${wait}&relay=false`, this.node);
      const sent = single
        ? requestJson(this.agent, 'POST', url, items[0].body, wait + 5_000).then((r) => items[0].resolve(r))
        : streamAnswers(this.agent, url, `[${items.map((i) => i.body).join(',')}]`, wait + 5_000, (index, reply) => items[index]?.resolve(reply)).then((r) => {
            // an answer for the whole request (503 not ready, 413…) is each one's answer; a stream cut short leaves some without one
            const whole: Reply = r.status === 200 ? { status: 0, body: { error: { message: 'the replica ended the stream without answering it' } } } : r;
            for (const item of items) item.resolve(whole);
          });
      sent.catch((err: Error) => items.forEach((item) => item.reject(err)));
    }
  }
}

/**
 * POSTs a list of transactions asking for a stream of answers: each line, {index, status, body},
 * is handed to `onAnswer` as soon as it arrives. Resolves when the stream ends (the indexes it
 * did not answer are the caller's to settle), with the HTTP status of the whole request.
 */
function streamAnswers(agent: http.Agent, url: URL, body: string, timeoutMs: number, onAnswer: (index: number, reply: Reply) => void): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(
      url,
      { method: 'POST', agent, headers: { accept: 'application/x-ndjson, application/json', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const streamed = String(res.headers['content-type'] ?? '').includes('application/x-ndjson');
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          if (!streamed) return;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            try {
              const a = JSON.parse(line);
              if (Number.isSafeInteger(a?.index)) onAnswer(a.index, { status: Number(a.status), body: a.body });
            } catch {
              /* a broken line: that transaction stays unanswered */
            }
          }
        });
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: streamed ? undefined : jsonOrText(buffered) }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

const errorText = (r: Reply) => (typeof r.body?.error?.message === 'string' ? r.body.error.message : `HTTP ${r.status}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A refusal that will not change by asking again: the transaction itself is wrong. */
const isRefusal = (status: number) => status === 400 || status === 409 || status === 413 || status === 422;

export function createChainClient(opts: ChainClientOptions): ChainClient & { readonly chain: Chain; close(): void } {
  if (!Array.isArray(opts.nodes) || opts.nodes.length === 0) throw new Error('createChainClient: no replica URLs');
  const chain = chainOf(opts.genesis);
  const nodes = opts.nodes.map((u) => new URL(u.replace(/\/+$/, '') + '/'));
  const n = nodes.length;
  const f = chain.f;
  const defaultTimeout = opts.timeoutMs ?? 30_000;
  const pollMs = opts.pollMs ?? 200;
  const longPollMs = opts.longPollMs ?? 10_000;
  const certificateAfterMs = opts.certificateAfterMs ?? 1_000;
  const verify = opts.verify ?? defaultVerifier;
  // No socket limit: a long poll holds its socket, and a limit would queue new submissions behind it.
  const agent = new http.Agent({ keepAlive: true });
  const submitters = nodes.map((node) => new ReplicaSubmitter(node, agent, longPollMs));
  // Spreads the load: each submission starts at the next replica.
  let rotation = Math.floor(Math.random() * n);
  const url = (node: URL, path: string) => new URL(path, node);

  function proofProblem(proof: TransactionProof, txId: string, expectedHash?: string): string | null {
    if (typeof proof !== 'object' || proof === null) return 'not a proof';
    if (proof.transaction?.id !== txId) return 'proof is for another transaction';
    const verdict = verifyTransactionProof(chain, proof, verify);
    if (!verdict.ok) return verdict.reason;
    if (expectedHash && transactionHash(proof.transaction) !== expectedHash) return 'another transaction with this id is committed';
    return null;
  }

  async function submitAndAwaitFinal(tx: Transaction, options: { timeoutMs?: number } = {}): Promise<FinalReceipt> {
    const timeoutMs = options.timeoutMs ?? defaultTimeout;
    const deadline = Date.now() + timeoutMs;
    let body: string;
    let ownHash: string;
    try {
      body = JSON.stringify(tx);
      ownHash = transactionHash(tx);
    } catch (err) {
      throw new ChainRejectedError(`transaction ${String(tx?.id)} has no canonical form: ${(err as Error).message}`);
    }
    const start = rotation++ % n;
    const order = Array.from({ length: n }, (_, i) => (start + i) % n);
    const committed = new Map<number, string>(); // replica → "height blockHash"
    const refusals = new Map<number, string>();
    const lastProblem = new Map<number, string>();
    let done = false;

    return new Promise<FinalReceipt>((resolve, reject) => {
      const finish = (outcome: { receipt: FinalReceipt } | { error: Error }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if ('receipt' in outcome) resolve(outcome.receipt);
        else reject(outcome.error);
      };
      const timer = setTimeout(() => {
        const seen = order.map((r) => `${nodes[r].origin}: ${committed.has(r) ? 'committed' : refusals.get(r) ?? lastProblem.get(r) ?? 'no answer'}`);
        finish({ error: new ChainUnavailableError(`transaction ${tx.id} not final within ${timeoutMs} ms (${seen.join('; ')})`) });
      }, timeoutMs);

      const onCommitted = (replica: number, height: number, blockHash: string, reportedHash: unknown) => {
        if (typeof reportedHash === 'string' && reportedHash !== ownHash) {
          refusals.set(replica, 'another transaction with this id is committed');
        } else {
          committed.set(replica, `${height} ${blockHash}`);
        }
        const key = `${height} ${blockHash}`;
        const agreeing = [...committed.values()].filter((k) => k === key).length;
        if (agreeing >= f + 1) return finish({ receipt: { transactionId: tx.id, height, blockHash, evidence: 'replies' } });
        checkRefused();
        // Fewer than f+1 so far: a commit certificate, checked here, settles it without waiting for more replies.
        if (committed.get(replica) === key) setTimeout(() => void viaCertificate(replica), certificateAfterMs);
      };

      const checkRefused = () => {
        if (refusals.size >= f + 1) {
          const reason = [...refusals.values()][0];
          finish({ error: new ChainRejectedError(`transaction ${tx.id} refused: ${reason}`) });
        }
      };

      const viaCertificate = async (replica: number) => {
        if (done) return;
        try {
          const r = await requestJson(agent, 'GET', url(nodes[replica], `transactions/${encodeURIComponent(tx.id)}/proof`), undefined, Math.max(1, deadline - Date.now()));
          if (done || r.status !== 200) return;
          const problem = proofProblem(r.body, tx.id, ownHash);
          if (problem) {
            lastProblem.set(replica, `bad proof: ${problem}`);
            return;
          }
          const { header, certificate } = r.body as TransactionProof;
          finish({ receipt: { transactionId: tx.id, height: header.height, blockHash: certificate.blockHash, evidence: 'certificate' } });
        } catch {
          /* the replies may still come */
        }
      };

      /** One replica: asked again after each answer short of committed (pending, not ready, an error), until done. */
      const ask = async (replica: number) => {
        while (!done) {
          const remaining = deadline - Date.now();
          if (remaining <= 0) return;
          try {
            const r = await submitters[replica].submit(body, deadline);
            if (done) return;
            if (r.status === 200 && r.body?.status === 'committed' && Number.isSafeInteger(r.body.height) && typeof r.body.blockHash === 'string') {
              return onCommitted(replica, r.body.height, r.body.blockHash, r.body.transactionHash);
            }
            if (isRefusal(r.status)) {
              refusals.set(replica, errorText(r));
              return checkRefused();
            }
            // pending after a whole long poll, not ready, or an error: this replica may have restarted and lost it
            lastProblem.set(replica, r.status === 202 ? 'pending' : errorText(r));
          } catch (err) {
            if (done) return;
            lastProblem.set(replica, (err as Error).message);
          }
          await sleep(pollMs);
        }
      };

      // To every replica at once: each checks its signature when it arrives, not when the block does,
      // and the primary has it without a relay. f+1 matching answers make it final.
      for (const replica of order) void ask(replica);
    });
  }

  async function proofOf(transactionId: string): Promise<TransactionProof | undefined> {
    const start = rotation++ % n;
    const deadline = Date.now() + defaultTimeout;
    const problems: string[] = [];
    let notFound = 0;
    for (let i = 0; i < n; i++) {
      const node = nodes[(start + i) % n];
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      try {
        const r = await requestJson(agent, 'GET', url(node, `transactions/${encodeURIComponent(transactionId)}/proof`), undefined, Math.min(remaining, 10_000));
        if (r.status === 200) {
          const problem = proofProblem(r.body, transactionId);
          if (!problem) return r.body as TransactionProof;
          problems.push(`${node.origin}: bad proof (${problem})`);
        } else if (r.status === 404) {
          notFound++;
          problems.push(`${node.origin}: not committed`);
        } else {
          problems.push(`${node.origin}: ${errorText(r)}`);
        }
      } catch (err) {
        problems.push(`${node.origin}: ${(err as Error).message}`);
      }
    }
    // f+1 replicas without it include an honest one that has not committed it (or is behind).
    if (notFound >= f + 1) return undefined;
    throw new ChainUnavailableError(`no verified proof of ${transactionId} (${problems.join('; ')})`);
  }

  return { chain, submitAndAwaitFinal, proofOf, close: () => agent.destroy() };
}

/**
 * The client from the environment: CHAIN_NODES (comma-separated base URLs) and
 * CHAIN_GENESIS_FILE (a path) or CHAIN_GENESIS (the JSON itself); CHAIN_TIMEOUT_MS optional.
 * A missing or malformed variable fails here, naming it.
 */
export function chainClientFromEnv(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof createChainClient> {
  const nodesText = env.CHAIN_NODES?.trim();
  if (!nodesText) throw new ConfigError('Invalid configuration: CHAIN_NODES: required (comma-separated replica URLs)');
  const nodes = nodesText.split(',').map((s) => s.trim()).filter(Boolean);
  for (const node of nodes) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(node);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) throw new ConfigError(`Invalid configuration: CHAIN_NODES: "${node}" is not an http(s) URL`);
  }
  let source: string;
  let text: string;
  if (env.CHAIN_GENESIS?.trim()) {
    source = 'CHAIN_GENESIS';
    text = env.CHAIN_GENESIS;
  } else if (env.CHAIN_GENESIS_FILE?.trim()) {
    source = 'CHAIN_GENESIS_FILE';
    try {
      text = readFileSync(env.CHAIN_GENESIS_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError(`Invalid configuration: CHAIN_GENESIS_FILE: cannot read ${env.CHAIN_GENESIS_FILE}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else {
    throw new ConfigError('Invalid configuration: CHAIN_GENESIS_FILE or CHAIN_GENESIS: required (the cluster\'s genesis JSON)');
  }
  let genesis: Genesis;
  try {
    genesis = JSON.parse(text);
  } catch {
    throw new ConfigError(`Invalid configuration: ${source}: not JSON`);
  }
  const problems = typeof genesis === 'object' && genesis !== null ? genesisProblems(genesis) : ['not an object'];
  if (problems.length) throw new ConfigError(`Invalid configuration: ${source}: not a genesis (${problems.join('; ')})`);
  const f = Math.floor((genesis.replicas.length - 1) / 3);
  if (nodes.length < f + 1 || nodes.length > genesis.replicas.length)
    throw new ConfigError(`Invalid configuration: CHAIN_NODES: ${nodes.length} URLs; the genesis has ${genesis.replicas.length} replicas and finality needs at least ${f + 1}`);
  let timeoutMs: number | undefined;
  if (env.CHAIN_TIMEOUT_MS !== undefined && env.CHAIN_TIMEOUT_MS !== '') {
    timeoutMs = Number(env.CHAIN_TIMEOUT_MS);
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new ConfigError('Invalid configuration: CHAIN_TIMEOUT_MS: must be a positive integer');
  }
  return createChainClient({ nodes, genesis, timeoutMs });
}
