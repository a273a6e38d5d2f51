// A replica's PostgreSQL database: the chain it committed, and everything the core asked it to
// persist (what it signed, views, prepared certificates, stable checkpoints). One statement per
// batch of records, so a batch is durable as a whole before any of its messages leave.
import pg from 'pg';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, migrate } from '../../../layers/core/migrate';
import type { CommittedBlock } from '../chain/block';
import type { Chain } from '../chain/genesis';
import type { Message, NewView, PreparedCertificate, StableCheckpoint } from '../pbft/messages';
import type { PersistRecord, RecoveredState } from '../pbft/replica';

export const REPLICA_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations', 'replica');

/** The server URL with another database in its path. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

export const databaseOf = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/** Creates the replica's database when it is missing, and migrates it. */
export async function prepareReplicaDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`the replica database name "${name}" must be letters, digits and _`);
  await ensureDatabase(withDatabase(url, 'postgres'), name);
  await migrate(url, 'replica', REPLICA_MIGRATIONS);
}

/** A row as stored: canonical JSON text, served as it is. */
export interface StoredBlockText {
  height: number;
  header: string;
  transactions: string;
  certificate: string;
}

export const blockJson = (row: StoredBlockText): string =>
  `{"block":{"header":${row.header},"transactions":${row.transactions}},"certificate":${row.certificate}}`;

export class ReplicaStore {
  private readonly pool: pg.Pool;
  private view = 0;

  constructor(
    readonly url: string,
    private readonly chain: Chain,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 30_000 });
    this.pool.on('error', () => undefined);
  }

  async open(): Promise<void> {
    await prepareReplicaDatabase(this.url);
    const { rows } = await this.pool.query(`SELECT value FROM chain_meta WHERE key = 'genesis'`);
    if (rows.length === 0) {
      await this.pool.query(`INSERT INTO chain_meta (key, value) VALUES ('genesis', $1) ON CONFLICT (key) DO NOTHING`, [
        JSON.stringify({ hash: this.chain.genesisHash, chainName: this.chain.genesis.chainName }),
      ]);
    } else if (rows[0].value.hash !== this.chain.genesisHash) {
      throw new Error(`database ${databaseOf(this.url)} holds chain ${rows[0].value.chainName} (genesis ${rows[0].value.hash}), not this genesis`);
    }
  }

  /** Everything in `records`, in one transaction (one statement). */
  async persist(records: PersistRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One JSON document, one statement: JSON.stringify is native, where pg's array literals escape in JavaScript.
    const doc = {
      blocks: [] as { height: number; hash: string; header: unknown; transactions: unknown; certificate: unknown }[],
      txs: [] as { id: string; height: number; position: number }[],
      signed: [] as { kind: string; view: number | null; height: number | null; message: Message }[],
      prepared: [] as { height: number; view: number; certificate: PreparedCertificate }[],
      meta: [] as { key: string; value: unknown }[],
    };
    const prepared = new Map<number, PreparedCertificate>();
    const meta = new Map<string, unknown>();
    let gcHeight = -1;
    for (const r of records) {
      switch (r.kind) {
        case 'block': {
          const { block, certificate } = r.committed;
          const height = block.header.height;
          doc.blocks.push({ height, hash: certificate.blockHash, header: block.header, transactions: block.transactions, certificate });
          block.transactions.forEach((tx, position) => doc.txs.push({ id: tx.id, height, position }));
          break;
        }
        case 'signed': {
          const m = r.message as Message & { view?: number; seq?: number };
          doc.signed.push({ kind: m.kind, view: typeof m.view === 'number' ? m.view : null, height: typeof m.seq === 'number' ? m.seq : null, message: m });
          break;
        }
        case 'prepared': {
          const before = prepared.get(r.certificate.seq);
          if (!before || before.view < r.certificate.view) prepared.set(r.certificate.seq, r.certificate);
          break;
        }
        case 'view':
          meta.set('view', r);
          this.view = r.view;
          break;
        case 'checkpoint':
          meta.set('stable', r.stable);
          gcHeight = Math.max(gcHeight, r.stable.seq);
          break;
      }
    }
    for (const c of prepared.values()) doc.prepared.push({ height: c.seq, view: c.view, certificate: c });
    for (const [key, value] of meta) doc.meta.push({ key, value });
    // Named, so PostgreSQL plans it once per connection rather than on every batch.
    await this.pool.query({
      name: 'persist-records',
      text: `WITH
        d AS (SELECT $1::json AS d),
        b AS (INSERT INTO blocks (height, hash, header, transactions, certificate)
              SELECT x.height, x.hash, x.header, x.transactions, x.certificate
                FROM d, json_to_recordset(d.d->'blocks') AS x(height bigint, hash text, header json, transactions json, certificate json)),
        t AS (INSERT INTO block_transactions (id, height, position)
              SELECT x.id, x.height, x.position FROM d, json_to_recordset(d.d->'txs') AS x(id text, height bigint, position int)),
        s AS (INSERT INTO signed_messages (kind, view, height, message)
              SELECT e->>'kind', (e->>'view')::bigint, (e->>'height')::bigint, e->'message'
                FROM d, json_array_elements(d.d->'signed') WITH ORDINALITY AS x(e, i) ORDER BY x.i),
        p AS (INSERT INTO prepared_certificates (height, view, certificate)
              SELECT x.height, x.view, x.certificate FROM d, json_to_recordset(d.d->'prepared') AS x(height bigint, view bigint, certificate json)
              ON CONFLICT (height) DO UPDATE SET view = excluded.view, certificate = excluded.certificate WHERE prepared_certificates.view < excluded.view),
        m AS (INSERT INTO chain_meta (key, value) SELECT x.key, x.value FROM d, json_to_recordset(d.d->'meta') AS x(key text, value json)
              ON CONFLICT (key) DO UPDATE SET value = excluded.value)
       SELECT 1`,
      values: [JSON.stringify(doc)],
    });
    // Below a stable checkpoint nothing can change any more: what was signed there, and view
    // changes of views left behind, need not be remembered. Not part of the batch's transaction:
    // if it fails, the rows only wait for the next checkpoint.
    if (gcHeight >= 0) {
      await this.pool
        .query({
          name: 'forget-below-checkpoint',
          text: `WITH gs AS (DELETE FROM signed_messages WHERE height <= $1 OR (kind IN ('view-change', 'new-view') AND view < $2))
                 DELETE FROM prepared_certificates WHERE height <= $1`,
          values: [gcHeight, this.view],
        })
        .catch(() => undefined);
    }
  }

  /** What the core needs to restart without contradicting itself. */
  async recover(): Promise<RecoveredState & { height: number }> {
    const meta = new Map<string, any>((await this.pool.query(`SELECT key, value FROM chain_meta`)).rows.map((r) => [r.key, r.value]));
    const stable = meta.get('stable') as StableCheckpoint | undefined;
    const view = meta.get('view') as { view: number; changing: boolean; newView?: NewView } | undefined;
    if (view) this.view = view.view;
    const top = Number((await this.pool.query(`SELECT coalesce(max(height), 0) AS h FROM blocks`)).rows[0].h);
    const from = Math.min(stable?.seq ?? 0, top);
    const headers = await this.pool.query(`SELECT header, hash FROM blocks WHERE height >= $1 ORDER BY height`, [from]);
    const ids = await this.pool.query({ text: `SELECT id, height FROM block_transactions`, rowMode: 'array' });
    const signed = await this.pool.query(`SELECT message FROM signed_messages ORDER BY n`);
    const prepared = await this.pool.query(`SELECT certificate FROM prepared_certificates ORDER BY height`);
    return {
      height: top,
      executed: headers.rows.map((r) => ({ header: r.header, hash: r.hash })),
      committedIds: ids.rows.map((r) => [r[0] as string, Number(r[1])] as const),
      stable,
      view: view ? { view: view.view, changing: view.changing, newView: view.newView } : undefined,
      signed: signed.rows.map((r) => r.message as Message),
      prepared: prepared.rows.map((r) => r.certificate as PreparedCertificate),
    };
  }

  async blockTexts(from: number, limit: number): Promise<StoredBlockText[]> {
    const { rows } = await this.pool.query(
      `SELECT height, header::text AS header, transactions::text AS transactions, certificate::text AS certificate
         FROM blocks WHERE height >= $1 ORDER BY height LIMIT $2`,
      [from, limit],
    );
    return rows.map((r) => ({ ...r, height: Number(r.height) }));
  }

  async block(height: number): Promise<CommittedBlock | undefined> {
    const { rows } = await this.pool.query(`SELECT header, transactions, certificate FROM blocks WHERE height = $1`, [height]);
    if (rows.length === 0) return undefined;
    return { block: { header: rows[0].header, transactions: rows[0].transactions }, certificate: rows[0].certificate };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
