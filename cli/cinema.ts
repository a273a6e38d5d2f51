// The `cinema` command: operator and developer chores against a local or given platform.
import { parseArgs } from 'node:util';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { databaseUrl, DEFAULT_DATABASE_URL } from '../layers/core/db';
import { ROOT } from '../infra/local/gateway';
import { prepareDatabases } from '../infra/local/postgres';
import { CHAIN_USAGE, runChain } from './chain';
import { generateEventKeySettings } from '../layers/contracts/event-keys';

const USAGE = `Usage: cinema <command> [options]

Commands:
  seed                         add demo movies, halls, a week of showtimes and demo accounts
                               (only when the catalog is empty, unless --force)
  admin create --email E --password P [--name N] [--role admin|door]
                               create an admin (or door staff, --role door), or give an existing account that role
  mail list --to EMAIL         show the dev mailbox of an address (password reset tokens)
  migrate                      create and migrate every domain's database
  events keys                  a new event signing key per publishing domain, as .env lines
                               (EVENT_SIGNING_KEY_<DOMAIN>, EVENT_PUBLIC_KEY_<DOMAIN>)
  proof verify FILE --genesis GENESIS
                               check a booking's proof offline against the chain's genesis keys
${CHAIN_USAGE}

Connection: DATABASE_URL and DATABASE_PREFIX, else the platform started by \`npm start\`
(its .data/stack.json), else ${DEFAULT_DATABASE_URL}.`;

function connection(): { DATABASE_URL: string; DATABASE_PREFIX: string } {
  const stateFile = join(resolve(ROOT, process.env.CINEMA_DATA_DIR ?? '.data'), 'stack.json');
  const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : undefined;
  return {
    DATABASE_URL: process.env.DATABASE_URL ?? state?.databaseUrl ?? DEFAULT_DATABASE_URL,
    DATABASE_PREFIX: process.env.DATABASE_PREFIX ?? state?.databasePrefix ?? 'cinema',
  };
}

const pool = (domain: 'auth' | 'catalog') => new pg.Pool({ connectionString: databaseUrl(domain, connection()), max: 2 });

export async function run(argv: string[]): Promise<number> {
  if (existsSync(join(ROOT, '.env'))) process.loadEnvFile(join(ROOT, '.env'));
  const [command, sub, ...rest] = argv;
  switch (command) {
    case 'seed': {
      const { values } = parseArgs({ args: [sub, ...rest].filter(Boolean) as string[], options: { force: { type: 'boolean' } } });
      const { seedDemo, catalogIsEmpty } = await import('../infra/local/seed');
      const pools = { auth: pool('auth'), catalog: pool('catalog') };
      try {
        if (!values.force && !(await catalogIsEmpty(pools.catalog))) {
          console.log('The catalog already has movies; nothing seeded (use --force to add the demo set anyway).');
          return 0;
        }
        const seeded = await seedDemo(pools, { scryptCost: Number(process.env.SCRYPT_COST ?? 2 ** 15) });
        console.log(`Seeded ${seeded.movies} movies, ${seeded.halls} halls, ${seeded.showtimes} showtimes.`);
        return 0;
      } finally {
        await Promise.all(Object.values(pools).map((p) => p.end()));
      }
    }
    case 'admin': {
      if (sub !== 'create') break;
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'admin' } } });
      const { email, password } = await import('../functions/auth/schemas');
      const e = email.safeParse(values.email ?? '');
      if (!e.success) return fail('--email must be an email address');
      // staff roles: an operator (admin) or door staff (the check-in scanner)
      const role = values.role;
      if (role !== 'admin' && role !== 'door') return fail('--role must be admin or door');
      const { registerUser } = await import('../functions/auth/users');
      const auth = pool('auth');
      try {
        const promoted = await auth.query(`UPDATE users SET role = $2, updated_at = now() WHERE email = $1 RETURNING id`, [e.data, role]);
        if (promoted.rowCount) {
          console.log(`${e.data} is now ${role === 'admin' ? 'an admin' : 'door staff'}.`);
          return 0;
        }
        const p = password.safeParse(values.password ?? '');
        if (!p.success) return fail(`--password ${p.error.issues[0].message}`);
        const user = await registerUser(auth, { email: e.data, password: p.data, name: values.name ?? (role === 'admin' ? 'Operator' : 'Door staff'), role }, Number(process.env.SCRYPT_COST ?? 2 ** 17));
        console.log(`${role === 'admin' ? 'Admin' : 'Door staff'} ${user.email} created (id ${user.id}).`);
        return 0;
      } finally {
        await auth.end();
      }
    }
    case 'mail': {
      if (sub !== 'list') break;
      const { values } = parseArgs({ args: rest, options: { to: { type: 'string' } } });
      if (!values.to) return fail('--to is required');
      const { readMailbox } = await import('../functions/auth/mailer');
      const auth = pool('auth');
      try {
        const mails = await readMailbox(auth, values.to);
        if (!mails.length) console.log(`No mail for ${values.to}.`);
        for (const m of mails) console.log(`${m.sentAt.toISOString()}  ${m.subject}\n  ${m.body}\n`);
        return 0;
      } finally {
        await auth.end();
      }
    }
    case 'proof': {
      if (sub !== 'verify') break;
      const { values, positionals } = parseArgs({ args: rest, options: { genesis: { type: 'string' } }, allowPositionals: true });
      const file = positionals[0];
      const genesisFile = values.genesis ?? process.env.CHAIN_GENESIS_FILE;
      if (!file || !genesisFile) return fail('usage: cinema proof verify FILE --genesis GENESIS.json');
      const { verifyBookingProof, provenBookingInWords } = await import('../functions/ledger/proof');
      let proof: unknown;
      let genesis: unknown;
      try {
        proof = JSON.parse(readFileSync(file, 'utf8'));
        genesis = JSON.parse(readFileSync(genesisFile, 'utf8'));
      } catch (err) {
        return fail(`cannot read the proof or the genesis: ${(err as Error).message}`);
      }
      const verdict = verifyBookingProof(genesis as never, proof);
      if (!verdict.ok) {
        console.error(`INVALID: ${verdict.reason}`);
        return 1;
      }
      console.log(`VALID: booking ${verdict.booking.bookingId}`);
      for (const line of provenBookingInWords(verdict.booking)) console.log(`  ${line}`);
      console.log(`Checked against the genesis keys alone:\n${verdict.checked.map((c) => `  ${c}`).join('\n')}`);
      return 0;
    }
    case 'chain':
      return runChain([sub, ...rest].filter((a) => a !== undefined));
    case 'events': {
      if (sub !== 'keys') return fail('usage: cinema events keys');
      console.log('# event keys: the EVENT_SIGNING_KEY_* are secrets (each only for its domain\'s outbox relay); keep .env private');
      for (const [name, value] of Object.entries(generateEventKeySettings())) console.log(`${name}=${value}`);
      return 0;
    }
    case 'migrate': {
      const c = connection();
      await prepareDatabases(c.DATABASE_URL, c.DATABASE_PREFIX);
      console.log(`Migrated the ${c.DATABASE_PREFIX}_* databases.`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
  }
  return fail(`Unknown command: ${argv.join(' ')}\n\n${USAGE}`);
}

function fail(message: string): number {
  console.error(`cinema: ${message}`);
  return 2;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`cinema: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
