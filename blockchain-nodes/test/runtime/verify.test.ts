// `cinema chain verify` against a replica's URL or straight against its database: a stored
// block row altered behind the replica's back is named, with the reason, by height — and the
// replica's own self-check (GET /verify) names it too. The honest replicas' chains verify.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../infra/local/gateway';
import { startTestCluster, type TestCluster } from './support';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ env: { REPLICA_MAX_BATCH: '3' } });
  for (let round = 0; round < 8; round++) await Promise.all(Array.from({ length: 3 }, (_, i) => cluster.client.submitAndAwaitFinal(cluster.tx({ round, i, amountCents: 1200 }), { timeoutMs: 10_000 })));
  await cluster.converged([0, 1, 2, 3], 8);
});
afterAll(async () => {
  await cluster?.destroy();
});

const cinema = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/cinema.mjs'), 'chain', 'verify', ...args, '--genesis', cluster.files.genesisFile], { encoding: 'utf8', cwd: ROOT });

describe('cinema chain verify', () => {
  it('accepts an untouched chain, from a replica or from its database', () => {
    for (const source of [['--node', cluster.urls[0]], ['--database', cluster.databaseUrls[0]]]) {
      const run = cinema(...source);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^VALID: \d+ blocks, 24 transactions, head [0-9a-f]{64}/);
    }
  });

  it('names the block whose stored row was altered, and why', async () => {
    // a payment's amount changed in replica 1's database, block 5
    await cluster.pool(1).query(`UPDATE blocks SET transactions = replace(transactions::text, '"amountCents":1200', '"amountCents":1')::json WHERE height = 5`);
    for (const source of [['--database', cluster.databaseUrls[1]], ['--node', cluster.urls[1]]]) {
      const run = cinema(...source);
      expect(run.status, run.stdout).toBe(1);
      expect(run.stderr).toMatch(/^INVALID: block 5: transaction root does not match the transactions/);
      expect(run.stderr).toMatch(/blocks 1–4 are valid/);
    }
    expect((await cluster.api(1, 'GET', '/verify')).body).toMatchObject({ ok: false, height: 5, reason: 'transaction root does not match the transactions' });

    // a header's timestamp changed in replica 2's database, block 3: the certificate no longer covers it
    await cluster.pool(2).query(`UPDATE blocks SET header = jsonb_set(header::jsonb, '{timestamp}', to_jsonb((header->>'timestamp')::bigint + 1))::json WHERE height = 3`);
    let run = cinema('--database', cluster.databaseUrls[2]);
    expect(run.stderr).toMatch(/^INVALID: block 3: certificate is for another block/);

    // a commit signature altered in replica 3's database, block 6; then block 2 deleted
    await cluster.pool(3).query(
      `UPDATE blocks SET certificate = jsonb_set(certificate::jsonb, '{commits,0,signature}', to_jsonb(translate(certificate->'commits'->0->>'signature', '0123456789abcdef', '123456789abcdef0')))::json WHERE height = 6`,
    );
    run = cinema('--database', cluster.databaseUrls[3]);
    expect(run.stderr).toMatch(/^INVALID: block 6: commit signature of replica \d does not verify/);
    await cluster.pool(3).query(`DELETE FROM blocks WHERE height = 2`);
    run = cinema('--database', cluster.databaseUrls[3]);
    expect(run.stderr).toMatch(/^INVALID: block 2: block 2 is missing \(the next stored is 3\)/);

    // the untouched replica still verifies
    expect(cinema('--node', cluster.urls[0]).status).toBe(0);
  });

  it('says what is wrong with its arguments or its source', () => {
    const usage = spawnSync(process.execPath, [join(ROOT, 'bin/cinema.mjs'), 'chain', 'verify'], { encoding: 'utf8', cwd: ROOT });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/usage: cinema chain verify/);
    const noGenesis = spawnSync(process.execPath, [join(ROOT, 'bin/cinema.mjs'), 'chain', 'verify', '--node', cluster.urls[0], '--genesis', '/nonexistent/genesis.json'], { encoding: 'utf8', cwd: ROOT });
    expect(noGenesis.status).toBe(2);
    expect(noGenesis.stderr).toMatch(/no genesis at/);
    const closed = cinema('--node', 'http://127.0.0.1:9');
    expect(closed.status).toBe(1);
    expect(closed.stderr).toMatch(/cannot read the chain from replica http:\/\/127.0.0.1:9/);
  });
});
