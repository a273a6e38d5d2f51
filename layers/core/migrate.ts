// Migration runner: the plain SQL files of one folder (a domain's `migrations/`), applied
// in name order, each in its own transaction, recorded in schema_migrations. An advisory
// lock lets several starters race safely. The caller names the folder (and, for a set of
// tables kept apart, the schema): this layer knows no domain.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createHash } from 'node:crypto';

export function migrationFiles(folder: string): { name: string; sql: string }[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(folder, name), 'utf8') }));
}

/**
 * Applies `folder`'s migrations to the database; `name` (e.g. the domain) keys the lock and
 * the messages. With `schema`, the migrations run with that schema (made if missing) as
 * their search path, and are recorded in its own schema_migrations.
 */
export async function migrate(connectionString: string, name: string, folder: string, opts: { schema?: string } = {}): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${name}`]);
    if (opts.schema) {
      const schema = pg.escapeIdentifier(opts.schema);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
    }
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map((await client.query('SELECT name, checksum FROM schema_migrations')).rows.map((r) => [r.name, r.checksum]));
    for (const file of migrationFiles(folder)) {
      const checksum = createHash('sha256').update(file.sql).digest('hex');
      if (done.has(file.name)) {
        if (done.get(file.name) !== checksum) throw new Error(`Migration ${name}/${file.name} was changed after it was applied; add a new migration instead`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, checksum]);
        await client.query('COMMIT');
        applied.push(file.name);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name}/${file.name} failed: ${(err as Error).message}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${name}`]).catch(() => undefined);
    await client.end();
  }
  return applied;
}

/** Creates the database if it does not exist (connecting to the server's maintenance db). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by a racing starter
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
