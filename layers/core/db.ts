// PostgreSQL access. Each domain owns one database and its functions connect to that one
// only; its name is `<DATABASE_PREFIX>_<domain>` on the server named by DATABASE_URL, unless
// `<DOMAIN>_DATABASE_URL` names it outright. Which domains there are is the application's
// business: this layer takes a domain's name from its caller.
import pg from 'pg';
import { env, loadConfig, type Env } from './config';
import { log } from './log';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

// count(*) and sums come back as int8; ours fit in a double, and JSON wants numbers.
pg.types.setTypeParser(20, (v: string) => Number(v));

const serverSettings = {
  DATABASE_URL: env.url(DEFAULT_DATABASE_URL),
  DATABASE_PREFIX: env.name('cinema'),
};

/**
 * Lambda containers serve one request at a time, so a pool stays small; idle connections
 * close so that many warm functions do not exhaust the server's connection slots.
 */
const poolSettings = {
  DATABASE_POOL_MAX: env.int(3, 1, 1_000),
  DATABASE_IDLE_MS: env.int(5_000, 0, 3_600_000),
};

const domainName = /^[a-z][a-z0-9_]*$/;

export function databaseName(domain: string, given?: Env): string {
  if (!domainName.test(domain)) throw new Error(`"${domain}" is not a domain name (lower-case letters, digits and _)`);
  return `${loadConfig({ DATABASE_PREFIX: serverSettings.DATABASE_PREFIX }, given).DATABASE_PREFIX}_${domain}`;
}

export function databaseUrl(domain: string, given?: Env): string {
  const own = `${domain.toUpperCase()}_DATABASE_URL`;
  const settings = loadConfig({ ...serverSettings, [own]: env.optionalUrl() }, given);
  const explicit = (settings as Record<string, unknown>)[own] as string | undefined;
  if (explicit) return explicit;
  const server = new URL(settings.DATABASE_URL);
  server.pathname = '/' + databaseName(domain, given);
  return server.toString();
}

const pools = new Map<string, pg.Pool>();

/**
 * The pool of a domain's database (`getPool('booking')`), made once per process, when first
 * asked for. A `name` of its own makes a second pool on the same database, for a party that
 * must not wait for the domain's connections while the domain holds one.
 */
export function getPool(domain: string, name = domain): pg.Pool {
  let pool = pools.get(name);
  if (!pool) {
    const settings = loadConfig(poolSettings);
    pool = new pg.Pool({
      connectionString: databaseUrl(domain),
      max: settings.DATABASE_POOL_MAX,
      idleTimeoutMillis: settings.DATABASE_IDLE_MS,
      connectionTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    pool.on('error', (err) => log.warn('idle database connection failed', { domain, pool: name, err }));
    pools.set(name, pool);
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
  // a connection lost while the transaction waits on something else (a publish, a lock) is
  // emitted on the client, and a checked-out client has no listener: unheard, it ends the
  // process. Heard here, the next statement fails with it and the client is not reused.
  let lost: Error | undefined;
  const onLost = (err: Error) => (lost = err);
  client.on('error', onLost);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onLost);
    client.release(lost);
  }
}

/**
 * `withTransaction`, run again when PostgreSQL chose it as a deadlock's victim: the victim's
 * transaction was rolled back whole, so running it again is what the server asks. Only for
 * work that touches nothing outside the database.
 */
export async function withTransactionRetryingDeadlocks<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>, attempts = 3): Promise<T> {
  return retryingDeadlocks(() => withTransaction(pool, work), attempts);
}

/** `work` — a transaction, or one statement that is its own — run again when it was a deadlock's victim (rolled back whole). */
export async function retryingDeadlocks<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (pgCode(err) !== PgCode.deadlockDetected || attempt >= attempts) throw err;
    }
  }
}

/** PostgreSQL error codes the domains turn into client errors. */
export const PgCode = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  exclusionViolation: '23P01',
  checkViolation: '23514',
  invalidTextRepresentation: '22P02',
  deadlockDetected: '40P01',
} as const;

export function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
