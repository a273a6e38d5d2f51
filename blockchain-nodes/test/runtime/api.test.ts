// The client API of real replica processes: submit (and what is refused, with the reason),
// forwarding by a non-primary, the same transaction sent twice to two replicas, status, proofs,
// blocks, health, the self-check, and a peer endpoint that only peers may use.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secp256k1Signer, generateKeyPair } from '../../src/chain/crypto';
import { signTransaction } from '../../src/chain/transaction';
import { verifyChain, verifyTransactionProof } from '../../src/chain/verify';
import { startTestCluster, type TestCluster } from './support';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('a replica\'s client API', () => {
  it('a transaction sent to a backup only is relayed to the primary and committed; its status and proof follow', async () => {
    const tx = cluster.tx({ bookingId: 'b-1', seats: ['A1', 'A2'] }, 'booking.confirmed');
    const sent = await cluster.api(2, 'POST', '/transactions', tx);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ transactionId: tx.id, status: 'pending' });
    const waited = await cluster.api(2, 'GET', `/transactions/${tx.id}?wait=5000`);
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({ transactionId: tx.id, status: 'committed', height: expect.any(Number), blockHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // every replica agrees
    const all = await Promise.all([0, 1, 3].map((id) => cluster.api(id, 'GET', `/transactions/${tx.id}?wait=5000`)));
    for (const r of all) expect(r.body).toEqual(waited.body);
    const proof = await cluster.api(3, 'GET', `/transactions/${tx.id}/proof`);
    expect(proof.status).toBe(200);
    expect(verifyTransactionProof(cluster.files.genesis, proof.body)).toEqual({ ok: true });
    expect(proof.body.transaction).toEqual(tx);
    // and through the client: a verified proof
    expect((await cluster.client.proofOf(tx.id))?.header.height).toBe(waited.body.height);
  });

  it('refuses what may not enter the chain with a 4xx saying why, never a 5xx', async () => {
    const good = cluster.tx();
    const stranger = secp256k1Signer(generateKeyPair().secretKey);
    const cases: [string, unknown, number, string, RegExp][] = [
      ['not JSON', '{"id":', 400, 'malformed_json', /not JSON/],
      ['unsigned', { ...good, signature: undefined }, 400, 'bad_signature', /signature is not 64 bytes/],
      ['a signature over other content', { ...good, payload: { at: 1 } }, 400, 'bad_signature', /signature does not verify/],
      ['an unknown submitter', signTransaction({ id: good.id, type: good.type, payload: good.payload, submitter: stranger.publicKey }, stranger), 400, 'unknown_submitter', /not registered in genesis/],
      ['an upper-case id', { ...good, id: good.id.toUpperCase() }, 400, 'invalid_transaction', /lower-case uuid/],
      ['an extra field', { ...good, amount: 5 }, 400, 'invalid_transaction', /unexpected field amount/],
      ['a number', 42, 400, 'invalid_transaction', /not an object/],
      ['an empty list', [], 400, 'invalid_transaction', /an empty list/],
    ];
    for (const [what, body, status, code, message] of cases) {
      const r = await cluster.api(1, 'POST', '/transactions', body);
      expect(r.status, what).toBe(status);
      expect(r.body.error.code, what).toBe(code);
      expect(r.body.error.message, what).toMatch(message);
    }
    // a list is a batch: each answered as if sent alone
    const batch = await cluster.api(1, 'POST', '/transactions?wait=5000', [cluster.tx(), { ...good, signature: undefined }, 'nonsense']);
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([200, 400, 400]);
    expect(batch.body.results[0].body).toMatchObject({ status: 'committed', height: expect.any(Number) });
    expect(batch.body.results[1].body.error.message).toMatch(/signature is not 64 bytes/);
    const big = await cluster.api(1, 'POST', '/transactions', { ...good, payload: { blob: 'x'.repeat(70_000) } });
    expect(big.status).toBe(413);
    expect((await cluster.api(1, 'GET', '/transactions/not-a-uuid')).status).toBe(400);
    expect((await cluster.api(1, 'GET', `/transactions/${good.id}`)).status).toBe(404);
    expect((await cluster.api(1, 'GET', `/transactions/${good.id}/proof`)).status).toBe(404);
    expect((await cluster.api(1, 'GET', '/blocks?from=0')).body.error.code).toBe('bad_parameter');
    expect((await cluster.api(1, 'GET', '/blocks?limit=100000')).status).toBe(400);
    expect((await cluster.api(1, 'GET', '/blocks/999999')).status).toBe(404);
    expect((await cluster.api(1, 'DELETE', '/blocks')).status).toBe(405);
    expect((await cluster.api(1, 'GET', '/nowhere')).status).toBe(404);
    // the client turns f+1 refusals into ChainRejectedError with the reason
    await expect(cluster.client.submitAndAwaitFinal({ ...good, payload: { at: 1 } }, { timeoutMs: 5_000 })).rejects.toThrow(/refused: signature does not verify/);
  });

  it('the same transaction sent twice, to two different replicas at once, commits once', async () => {
    const tx = cluster.tx({ paymentId: 'p-twice' });
    const [a, b] = await Promise.all([cluster.api(1, 'POST', '/transactions?wait=10000', tx), cluster.api(3, 'POST', '/transactions?wait=10000', tx)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body).toEqual(b.body);
    // and again later, through the client: the same receipt, nothing new
    const receipt = await cluster.client.submitAndAwaitFinal(tx, { timeoutMs: 10_000 });
    expect(receipt).toMatchObject({ height: a.body.height, blockHash: a.body.blockHash });
    // another body under the same id is a conflict, not a second commit
    const other = cluster.tx({ paymentId: 'p-other' });
    const conflict = await cluster.api(0, 'POST', '/transactions', { ...other, id: tx.id, signature: signTransaction({ ...other, id: tx.id }, secp256k1Signer(cluster.ledgerKey)).signature });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toMatch(/another transaction with id .* is committed at height/);
    const heights = await Promise.all([0, 1, 2, 3].map(async (id) => (await cluster.pool(id).query(`SELECT height FROM block_transactions WHERE id = $1`, [tx.id])).rows.map((r) => Number(r.height))));
    expect(heights).toEqual([0, 1, 2, 3].map(() => [a.body.height]));
  });

  it('serves blocks in pages and by height, each with its certificate; the chain they form verifies against genesis', async () => {
    await Promise.all(Array.from({ length: 30 }, () => cluster.client.submitAndAwaitFinal(cluster.tx(), { timeoutMs: 10_000 })));
    const status = (await cluster.api(0, 'GET', '/status')).body;
    // (a loaded machine may have cost the cluster a view change by now: the primary is whoever the view names)
    expect(status).toMatchObject({ replica: 0, primary: status.view % 4, stableCheckpoint: { height: expect.any(Number) } });
    expect(status.peers.map((p: { id: number }) => p.id)).toEqual([1, 2, 3]);
    const height = status.height;
    expect(height).toBeGreaterThanOrEqual(3);
    const pages = [];
    // (the chain may have grown since /status answered: ask for no page past the height it gave)
    for (let from = 1; from <= height; from += 2) pages.push(...(await cluster.api(0, 'GET', `/blocks?from=${from}&limit=${Math.min(2, height - from + 1)}`)).body.blocks);
    expect(pages.map((b: any) => b.block.header.height)).toEqual(Array.from({ length: height }, (_, i) => i + 1));
    expect(verifyChain(cluster.files.genesis, pages)).toMatchObject({ ok: true, height });
    // the same block everywhere; each replica's certificate is the 2f+1 commits it collected, any of which verify
    const second = (await cluster.api(2, 'GET', '/blocks/2')).body;
    expect(second.block).toEqual(pages[1].block);
    expect(verifyChain(cluster.files.genesis, [pages[0], second])).toMatchObject({ ok: true });
    const verify = await cluster.api(1, 'GET', '/verify');
    expect(verify.body).toMatchObject({ replica: 1, ok: true, height: expect.any(Number) });
    expect((await cluster.api(3, 'GET', '/health')).body).toMatchObject({ status: 'ok', replica: 3 });
  });

  it('serves its genesis, and lets any web page read the chain (CORS on reads, not on writes)', async () => {
    const genesis = await cluster.api(2, 'GET', '/genesis');
    expect(genesis.status).toBe(200);
    expect(genesis.body).toEqual(cluster.files.genesis);
    const origin = { origin: 'http://explorer.example' };
    for (const path of ['/genesis', '/blocks?from=1&limit=1', '/status']) {
      const r = await fetch(new URL(path, cluster.urls[0]), { headers: origin });
      expect(r.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    const write = await fetch(new URL('/transactions', cluster.urls[0]), { method: 'POST', headers: { ...origin, 'content-type': 'application/json' }, body: JSON.stringify(cluster.tx()) });
    expect(write.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the peer endpoints answer only a peer that proves who it is', async () => {
    const forged = await cluster.api(0, 'POST', '/peer/messages', [{ kind: 'status', from: 1, view: 9, changing: false, executed: 0, stable: 0 }]);
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('unauthenticated');
    // the standing stream: an unknown replica is turned away; a frame without the right MAC closes it
    const upgrade = (from: string) =>
      new Promise<{ status?: number; socket?: import('node:stream').Duplex }>((resolve, reject) => {
        const req = http.request(new URL('/peer/stream', cluster.urls[0]), { headers: { connection: 'Upgrade', upgrade: 'cinema-pbft/1', 'x-replica-from': from } });
        req.on('upgrade', (_res, socket) => resolve({ status: 101, socket }));
        req.on('response', (res) => resolve({ status: res.statusCode }));
        req.on('error', reject);
        req.end();
      });
    expect((await upgrade('9')).status).toBe(401);
    const { status, socket } = await upgrade('1');
    expect(status).toBe(101);
    const closed = new Promise((r) => socket!.once('close', r));
    socket!.write(`${'0'.repeat(64)} [{"kind":"status","from":1,"view":9,"changing":false,"executed":0,"stable":0}]\n`);
    await closed;
    expect((await cluster.api(0, 'GET', '/status')).body.view).toBe(0);
  });
});
