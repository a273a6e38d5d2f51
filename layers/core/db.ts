// PostgreSQL access. Each domain owns one database and its functions connect to that one
// only; its name is `<DATABASE_PREFIX>_<domain>` on the server named by DATABASE_URL, unless
// `<DOMAIN>_DATABASE_URL` names it outright.
import pg from 'pg';
import { log } from './log';

export type Domain = 'auth' | 'catalog' | 'booking' | 'payment' | 'ledger';
export const DOMAINS: Domain[] = ['auth', 'catalog', 'booking', 'payment', 'ledger'];

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

// count(*) and sums come back as int8; ours fit in a double, and JSON wants numbers.
pg.types.setTypeParser(20, (v: string) => Number(v));

export function databaseName(domain: string, env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.DATABASE_PREFIX ?? 'cinema';
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`Invalid configuration: DATABASE_PREFIX: must be lower-case letters, digits and _`);
  return `${prefix}_${domain}`;
}

export function databaseUrl(domain: string, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[`${domain.toUpperCase()}_DATABASE_URL`];
  if (explicit) return explicit;
  const server = new URL(env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  server.pathname = '/' + databaseName(domain, env);
  return server.toString();
}

const pools = new Map<string, pg.Pool>();

/**
 * The pool of a domain's database, made once per process. Lambda containers serve one
 * request at a time, so a pool stays small; idle connections close so that many warm
 * functions do not exhaust the server's connection slots.
 */
export function getPool(domain: Domain): pg.Pool {
  let pool = pools.get(domain);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: databaseUrl(domain),
      max: Number(process.env.DATABASE_POOL_MAX ?? 3),
      idleTimeoutMillis: Number(process.env.DATABASE_IDLE_MS ?? 5_000),
      connectionTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    pool.on('error', (err) => log.warn('idle database connection failed', { domain, err }));
    pools.set(domain, pool);
  }
  return pool;
}

export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end()));
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs `work` in one transaction; rolls back on any error and rethrows it. */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** PostgreSQL error codes the domains turn into client errors. */
export const PgCode = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  exclusionViolation: '23P01',
  checkViolation: '23514',
  invalidTextRepresentation: '22P02',
} as const;

export function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
