// The block sources a Node process verifies (chain/walk.ts): a replica's HTTP API, read by
// `cinema chain verify --node`, and a replica's database, read by `--database` and GET /verify.
import http from 'node:http';
import pg from 'pg';
import type { CommittedBlock } from '../chain/block';
import type { BlockSource } from '../chain/walk';
import { request } from './http';

export { verifySource, type BlockSource, type SourceEntry, type VerifyReport } from '../chain/walk';

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
