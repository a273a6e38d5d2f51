// Verifying a stored or served chain against genesis, page by page, trusting nothing the source
// says: parent links, Merkle roots and counts, every transaction's signature and registration,
// no id committed twice, and each commit certificate against the genesis keys. The first bad
// block is named with the reason. Used by `cinema chain verify` and a replica's GET /verify.
import http from 'node:http';
import pg from 'pg';
import { defaultVerifier, type Verifier } from '../chain/crypto';
import { blockHash, type BlockHeader, type CommittedBlock } from '../chain/block';
import type { Chain, Genesis } from '../chain/genesis';
import { chainOf, verifyCommittedBlock, type ChainVerdict } from '../chain/verify';
import { request } from './http';

/** One entry of a source: a block, or why the source could not give a well-formed one at that height. */
export type SourceEntry = { height: number; committed: CommittedBlock } | { height: number; problem: string };

/** Pages of consecutive entries from height 1; `claimedHeight` is what the source says it holds. */
export interface BlockSource {
  describe: string;
  claimedHeight(): Promise<number | undefined>;
  page(from: number, limit: number): Promise<SourceEntry[]>;
  close(): Promise<void>;
}

export interface VerifyReport {
  verdict: ChainVerdict;
  transactions: number;
  claimedHeight?: number;
}

export async function verifySource(
  genesis: Genesis | Chain,
  source: BlockSource,
  options: { verify?: Verifier; pageSize?: number; onProgress?: (height: number) => void } = {},
): Promise<VerifyReport> {
  const chain = chainOf(genesis);
  const verify = options.verify ?? defaultVerifier;
  const pageSize = options.pageSize ?? 200;
  const claimedHeight = await source.claimedHeight();
  const seen = new Set<string>();
  let parent: BlockHeader | null = null;
  let height = 0;
  const fail = (at: number, reason: string): VerifyReport => ({ verdict: { ok: false, height: at, reason }, transactions: seen.size, claimedHeight });
  for (;;) {
    const entries = await source.page(height + 1, pageSize);
    if (entries.length === 0) break;
    for (const entry of entries) {
      const expected = height + 1;
      if (entry.height !== expected) return fail(expected, entry.height > expected ? `block ${expected} is missing (the next stored is ${entry.height})` : `block ${entry.height} appears twice`);
      if ('problem' in entry) return fail(expected, entry.problem);
      const { block, certificate } = entry.committed;
      if (block?.header?.height !== expected) return fail(expected, `the block stored at height ${expected} says height ${String(block?.header?.height)}`);
      const verdict = verifyCommittedBlock(chain, parent, block, certificate, verify);
      if (!verdict.ok) return fail(expected, verdict.reason);
      for (const tx of block.transactions) {
        if (seen.has(tx.id)) return fail(expected, `transaction ${tx.id} was already committed`);
        seen.add(tx.id);
      }
      parent = block.header;
      height = expected;
    }
    options.onProgress?.(height);
    if (entries.length < pageSize) break;
  }
  if (claimedHeight !== undefined && claimedHeight > height) return fail(height + 1, `the source says it holds ${claimedHeight} blocks but gave ${height}`);
  return { verdict: { ok: true, height, headHash: parent ? blockHash(parent) : chain.genesisHash }, transactions: seen.size, claimedHeight };
}

/** A replica's HTTP API (GET /blocks): what it serves is checked, not believed. */
export function httpBlockSource(baseUrl: string, timeoutMs = 30_000): BlockSource {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const base = baseUrl.replace(/\/?$/, '/');
  let claimed: number | undefined;
  const get = async (path: string) => {
    const r = await request(agent, 'GET', new URL(path, base), { timeoutMs });
    if (r.status !== 200 || r.body === undefined) throw new Error(`${base}${path}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    return r.body;
  };
  return {
    describe: `replica ${baseUrl}`,
    async claimedHeight() {
      const body = await get('blocks?from=1&limit=1');
      claimed = Number.isSafeInteger(body?.height) ? body.height : undefined;
      return claimed;
    },
    async page(from, limit) {
      const body = await get(`blocks?from=${from}&limit=${limit}`);
      if (!Array.isArray(body?.blocks)) throw new Error(`${base}: /blocks did not answer a list of blocks`);
      return body.blocks.map((b: unknown, i: number) => {
        const committed = b as CommittedBlock;
        const h = committed?.block?.header?.height;
        return typeof h === 'number' ? { height: h, committed } : { height: from + i, problem: 'the replica served something that is not a block' };
      });
    },
    async close() {
      agent.destroy();
    },
  };
}

/** A replica's database, read row by row: an altered row shows up at its height. */
export function databaseBlockSource(url: string): BlockSource {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  let connected: Promise<unknown> | undefined;
  const ready = () => (connected ??= client.connect());
  return {
    describe: `database ${new URL(url).pathname.slice(1)}`,
    async claimedHeight() {
      await ready();
      const { rows } = await client.query(`SELECT coalesce(max(height), 0) AS h FROM blocks`);
      return Number(rows[0].h);
    },
    async page(from, limit) {
      await ready();
      const { rows } = await client.query(
        `SELECT height, header::text AS header, transactions::text AS transactions, certificate::text AS certificate
           FROM blocks WHERE height >= $1 ORDER BY height LIMIT $2`,
        [from, limit],
      );
      return rows.map((r) => {
        const height = Number(r.height);
        try {
          return { height, committed: { block: { header: JSON.parse(r.header), transactions: JSON.parse(r.transactions) }, certificate: JSON.parse(r.certificate) } };
        } catch {
          return { height, problem: 'the stored row is not JSON' };
        }
      });
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}
