// A replica's HTTP server: the client API (transactions, proofs, blocks, status, health, a
// self-check) and the peer endpoint. Errors are {"error": {"code", "message"}}; bad input is a
// 4xx that says what is wrong, and nothing internal leaks.
import http from 'node:http';
import { buildInclusionProof } from '../chain/verify';
import type { CommittedBlock } from '../chain/block';
import type { Transaction } from '../chain/transaction';
import { transactionHash, transactionShapeProblem } from '../chain/transaction';
import type { Logger } from '../../../layers/core/log';
import { HttpError, readBody, sendError, sendJson, sendRaw } from './http';
import type { ReplicaNode } from './node';
import { blockJson, type ReplicaStore } from './store';
import { PEER_PATH, PEER_STREAM_PATH } from './transport';
import { verifySource, type BlockSource } from './verify';

const MAX_TRANSACTION_BODY = 64 * 1024;
const MAX_BATCH = 1_000;
const MAX_BATCH_BODY = 16 * 1024 * 1024;
const MAX_WAIT_MS = 60_000;
const MAX_PAGE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) throw new HttpError(400, 'bad_parameter', `${name} must be an integer from ${min} to ${max}`);
  return value;
}

interface Answer {
  status: number;
  body: unknown;
}

const errorAnswer = (e: HttpError): Answer => ({ status: e.status, body: { error: { code: e.code, message: e.message } } });

/** How a refusal by the core reads to a client. */
function refusal(reason: string): HttpError {
  if (reason.startsWith('halted')) return new HttpError(503, 'halted', `this replica has halted: ${reason}`);
  if (reason === 'too many pending transactions') return new HttpError(503, 'busy', reason);
  if (reason.startsWith('another transaction with this id')) return new HttpError(409, 'conflicting_transaction', reason);
  if (reason === 'submitter is not registered in genesis') return new HttpError(400, 'unknown_submitter', reason);
  if (reason.startsWith('signature')) return new HttpError(400, 'bad_signature', reason);
  return new HttpError(400, 'invalid_transaction', reason);
}

export function createReplicaServer(node: ReplicaNode, store: ReplicaStore, log: Logger): http.Server {
  let dbHealthy = { ok: true, at: 0 };
  const databaseSource = (): BlockSource => ({
    describe: 'own database',
    claimedHeight: async () => node.durableHeight,
    page: async (from, limit) => {
      const count = Math.max(0, Math.min(limit, node.durableHeight - from + 1));
      return (count ? await store.blockTexts(from, count) : []).map((row) => {
        try {
          return { height: row.height, committed: JSON.parse(blockJson(row)) as CommittedBlock };
        } catch {
          return { height: row.height, problem: 'the stored row is not JSON' };
        }
      });
    },
    close: async () => undefined,
  });

  /** What a transaction's status reads as; with `submitted`, a committed transaction of another body under its id is a conflict. */
  async function statusAnswer(id: string, waitMs: number, submitted?: Transaction): Promise<Answer> {
    if (waitMs > 0) await node.waitForCommit(id, waitMs);
    const status = await node.status(id);
    if (!status) return errorAnswer(new HttpError(404, 'not_found', `transaction ${id} is not known to this replica`));
    if (status.status === 'pending') return { status: 202, body: { transactionId: id, status: 'pending' } };
    if (submitted && transactionHash(submitted) !== status.transactionHash)
      return errorAnswer(new HttpError(409, 'conflicting_transaction', `another transaction with id ${id} is committed at height ${status.height}`));
    return { status: 200, body: { transactionId: id, status: 'committed', height: status.height, blockHash: status.blockHash, transactionHash: status.transactionHash } };
  }

  /** Submits one transaction and answers as POST /transactions does for it. */
  async function submitAnswer(tx: Transaction, waitMs: number, relay: boolean): Promise<Answer> {
    const notReady = node.notReady();
    if (notReady) {
      // Already committed here is still an answer; anything else goes to another replica.
      const known = transactionShapeProblem(tx) === null ? await node.status(tx.id) : undefined;
      if (known?.status !== 'committed') {
        node.stats.notReady++;
        return errorAnswer(new HttpError(503, 'not_ready', `this replica is ${notReady}; send it to another`));
      }
      return statusAnswer(tx.id, 0, tx);
    }
    const rejection = await node.submit(tx, { relay });
    if (rejection && !rejection.reason.startsWith('duplicate:')) return errorAnswer(refusal(rejection.reason));
    return statusAnswer(tx.id, waitMs, tx);
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://replica');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, 'method_not_allowed', `${path} accepts ${methods.join(', ')}`);
    };
    // What a replica serves to read is public — the chain is for anyone to verify — so any web
    // page (the explorer, wherever it is served from) may read it; nothing is sent with
    // credentials, and writing (POST) stays for clients that are not browsers.
    if (method === 'GET' || method === 'HEAD') res.setHeader('access-control-allow-origin', '*');

    if (path === PEER_PATH) {
      allow('POST');
      const { from, messages } = await node.transport.acceptPost(req);
      for (const m of messages) node.deliver(from, m);
      res.writeHead(204).end();
      return;
    }

    if (path === '/transactions') {
      allow('POST');
      const waitMs = intParam(url, 'wait', 0, 0, MAX_WAIT_MS);
      // relay=false: the client sent it to every replica, the primary included (a backup that has it
      // pending still relays it if it waits too long)
      const relay = url.searchParams.get('relay') !== 'false';
      const body = await readBody(req, MAX_BATCH_BODY);
      // Only a list (a batch) may be that large: one transaction over its limit is refused before it is parsed.
      if (body.length > MAX_TRANSACTION_BODY && !/^\s*\[/.test(body.subarray(0, 64).toString('utf8')))
        throw new HttpError(413, 'too_large', `the body is over ${MAX_TRANSACTION_BODY} bytes`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'malformed_json', 'the body is not JSON');
      }
      // A list is a batch: each transaction is answered as if sent alone, once all are settled or `wait` is over.
      if (Array.isArray(parsed)) {
        if (parsed.length > MAX_BATCH) throw new HttpError(413, 'too_large', `at most ${MAX_BATCH} transactions per request`);
        if (parsed.length === 0) throw new HttpError(400, 'invalid_transaction', 'an empty list');
        const answers = parsed.map((tx) => submitAnswer(tx as Transaction, waitMs, relay));
        if (!String(req.headers.accept ?? '').includes('application/x-ndjson')) return sendJson(res, 200, { results: await Promise.all(answers) });
        // Streamed: one line per transaction as soon as it is settled, {"index", "status", "body"}.
        res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
        // A block settles its transactions all at once: their lines leave as one write, not one each.
        let lines = '';
        const flush = () => {
          if (lines) res.write(lines);
          lines = '';
        };
        await Promise.all(
          answers.map((a, index) =>
            a.then((answer) => {
              if (!lines) setImmediate(flush);
              lines += JSON.stringify({ index, ...answer }) + '\n';
            }),
          ),
        );
        flush();
        res.end();
        return;
      }
      const answer = await submitAnswer(parsed as Transaction, waitMs, relay);
      return sendJson(res, answer.status, answer.body);
    }

    const txPath = /^\/transactions\/([^/]+)(\/proof)?$/.exec(path);
    if (txPath) {
      allow('GET');
      const id = decodeURIComponent(txPath[1]);
      if (!UUID.test(id)) throw new HttpError(400, 'bad_parameter', 'a transaction id is a lower-case uuid');
      if (!txPath[2]) {
        const answer = await statusAnswer(id, intParam(url, 'wait', 0, 0, MAX_WAIT_MS));
        return sendJson(res, answer.status, answer.body);
      }
      const status = await node.status(id);
      if (status?.status !== 'committed') return sendError(res, 404, 'not_found', `transaction ${id} is not committed here`);
      const committed = await node.block(status.height);
      if (!committed) return sendError(res, 404, 'not_found', `transaction ${id} is not committed here`);
      const [served] = node.serveBlocks([committed]);
      return sendJson(res, 200, buildInclusionProof(served, id));
    }

    if (path === '/blocks') {
      allow('GET');
      const from = intParam(url, 'from', 1, 1, Number.MAX_SAFE_INTEGER);
      const limit = intParam(url, 'limit', 100, 1, MAX_PAGE);
      const height = node.durableHeight;
      const count = Math.max(0, Math.min(limit, height - from + 1));
      const rows = count > 0 ? await store.blockTexts(from, count) : [];
      if (node.byzantine) {
        const blocks = node.serveBlocks(rows.map((r) => JSON.parse(blockJson(r)) as CommittedBlock));
        return sendJson(res, 200, { height, blocks });
      }
      return sendRaw(res, 200, `{"height":${height},"blocks":[${rows.map(blockJson).join(',')}]}`);
    }

    const blockPath = /^\/blocks\/(\d+)$/.exec(path);
    if (blockPath) {
      allow('GET');
      const height = Number(blockPath[1]);
      const committed = Number.isSafeInteger(height) ? await node.block(height) : undefined;
      if (!committed) return sendError(res, 404, 'not_found', `no block at height ${blockPath[1]} here (height ${node.durableHeight})`);
      return sendJson(res, 200, node.serveBlocks([committed])[0]);
    }

    if (path === '/genesis') {
      allow('GET');
      return sendJson(res, 200, node.chain.genesis);
    }

    if (path === '/status') {
      allow('GET');
      return sendJson(res, 200, node.statusReport());
    }

    if (path === '/health') {
      allow('GET');
      if (Date.now() - dbHealthy.at > 1_000) {
        dbHealthy = await store.ping().then(
          () => ({ ok: true, at: Date.now() }),
          () => ({ ok: false, at: Date.now() }),
        );
      }
      if (node.halted) return sendJson(res, 503, { status: 'halted', reason: node.halted, replica: node.id });
      if (!dbHealthy.ok) return sendJson(res, 503, { status: 'database unavailable', replica: node.id });
      const notReady = node.notReady();
      return sendJson(res, 200, { status: 'ok', replica: node.id, height: node.durableHeight, view: node.state.view, ready: !notReady, ...(notReady ? { notReady } : {}) });
    }

    if (path === '/verify') {
      allow('GET');
      const report = await verifySource(node.chain, databaseSource());
      return sendJson(res, 200, { replica: node.id, ...report.verdict, transactions: report.transactions });
    }

    throw new HttpError(404, 'not_found', `no route ${method} ${path}`);
  }

  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    route(req, res).catch((err) => {
      if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message);
      log.error('request failed', { method: req.method, url: req.url, err });
      sendError(res, 500, 'internal', 'internal error');
    });
  });
  // A peer's standing connection: GET /peer/stream with Upgrade (see transport.ts).
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://replica').pathname !== PEER_STREAM_PATH) return void socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    try {
      node.transport.acceptStream(req, socket, head, (from, message) => node.deliver(from, message));
    } catch (err) {
      log.error('peer stream failed', { err });
      socket.destroy();
    }
  });
  return server;
}
