// The platform's domains. Each has a database of its own (`<DATABASE_PREFIX>_<domain>`) and
// its SQL migrations beside its code; the shared layers know none of them, so whoever makes,
// migrates or drops the databases (the local stack, `cinema migrate`, the tests) takes the
// list from here.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOMAINS = ['auth', 'catalog', 'booking', 'payment', 'ledger'] as const;
export type Domain = (typeof DOMAINS)[number];

/** A folder of SQL migrations, applied in name order; with `schema`, inside that schema and recorded there. */
export interface Migrations {
  folder: string;
  schema?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * What a domain's database is migrated with, in order: the domain's own migrations
 * (functions/<domain>/migrations), then those of an outside system it talks to that we run
 * ourselves — payment's built-in test provider and auth's development identity provider keep
 * their tables in schemas of their own.
 */
export function migrationsOf(domain: Domain): Migrations[] {
  const own = { folder: join(here, domain, 'migrations') };
  if (domain === 'payment') return [own, { folder: join(here, 'payment', 'test-provider', 'migrations'), schema: 'test_provider' }];
  if (domain === 'auth') return [own, { folder: join(here, 'auth', 'dev-idp', 'migrations'), schema: 'dev_idp' }];
  return [own];
}
