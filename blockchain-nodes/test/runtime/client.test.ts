// The chain client against scripted replicas that serve a real chain (four secp256k1 replicas
// of the simulation committed it): finality on f+1 matching replies, or on one verified
// certificate; a liar outvoted; refusals; an unreachable cluster; proofs checked before use.
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChainClient, chainClientFromEnv } from '../../../layers/chain/client';
import { ChainRejectedError, ChainUnavailableError } from '../../../layers/chain/port';
import { transactionHash, type Transaction } from '../../src/chain/transaction';
import { buildInclusionProof } from '../../src/chain/verify';
import type { CommittedBlock } from '../../src/chain/block';
import { cinemaTransaction, type TestCluster } from '../../src/sim/fixtures';
import { scriptedPolicy } from '../../src/sim/network';
import { Random } from '../../src/sim/random';
import { secp256k1Scheme } from '../../src/sim/signatures';
import { Simulation } from '../../src/sim/simulation';
import { freePort } from '../../../test/support/ports';

type Behaviour = 'honest' | 'liar' | 'refuse' | 'pending' | 'tampered-proof';

let cluster: TestCluster;
let blocks: CommittedBlock[];
const where = new Map<string, CommittedBlock>();
const servers: http.Server[] = [];
const behaviours: Behaviour[] = ['honest', 'honest', 'honest', 'honest'];
const urls: string[] = [];
const rng = new Random(7);

beforeAll(async () => {
  const sim = new Simulation({ n: 4, seed: 7, scheme: secp256k1Scheme(), network: scriptedPolicy(1), timing: { maxBatch: 4 } });
  for (let i = 0; i < 10; i++) sim.submit(cinemaTransaction(sim.cluster.ledger, rng), i * 20);
  expect(sim.settle(10_000)).toBe(true);
  cluster = sim.cluster;
  blocks = sim.nodes[0].blocks;
  for (const b of blocks) for (const tx of b.block.transactions) where.set(tx.id, b);
  for (let i = 0; i < 4; i++) {
    const server = http.createServer((req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const behaviour = behaviours[i];
        const url = new URL(req.url!, 'http://x');
        if (req.method === 'POST' && url.pathname === '/transactions') {
          const tx = JSON.parse(Buffer.concat(chunks).toString()) as Transaction;
          if (behaviour === 'refuse') return reply(400, { error: { code: 'bad_signature', message: 'signature does not verify' } });
          if (behaviour === 'pending') return setTimeout(() => reply(202, { transactionId: tx.id, status: 'pending' }), 20);
          const at = where.get(tx.id);
          if (!at) return reply(202, { transactionId: tx.id, status: 'pending' });
          const height = behaviour === 'liar' ? at.block.header.height + 1 : at.block.header.height;
          return reply(200, { transactionId: tx.id, status: 'committed', height, blockHash: at.certificate.blockHash, transactionHash: transactionHash(tx) });
        }
        const proof = /^\/transactions\/([^/]+)\/proof$/.exec(url.pathname);
        if (req.method === 'GET' && proof) {
          const at = where.get(proof[1]);
          if (!at || behaviour === 'pending' || behaviour === 'refuse') return reply(404, { error: { code: 'not_found', message: 'not committed' } });
          const p = structuredClone(buildInclusionProof(at, proof[1]));
          if (behaviour === 'tampered-proof' || behaviour === 'liar') (p.transaction.payload as { amountCents: number }).amountCents += 1;
          return reply(200, p);
        }
        reply(404, { error: { code: 'not_found', message: 'no such route' } });
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    servers.push(server);
    urls.push(`http://127.0.0.1:${port}`);
  }
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const committedTx = (k: number) => blocks[Math.min(k, blocks.length - 1)].block.transactions[0];
const set = (...b: Behaviour[]) => b.forEach((x, i) => (behaviours[i] = x));

describe('chain client: submitAndAwaitFinal', () => {
  it('is final on f+1 replicas reporting the same block', async () => {
    set('honest', 'honest', 'honest', 'honest');
    const client = createChainClient({ nodes: urls, genesis: cluster.genesis, pollMs: 20 });
    const tx = committedTx(1);
    const at = where.get(tx.id)!;
    const receipt = await client.submitAndAwaitFinal(tx, { timeoutMs: 5_000 });
    expect(receipt).toEqual({ transactionId: tx.id, height: at.block.header.height, blockHash: at.certificate.blockHash, evidence: 'replies' });
    client.close();
  });

  it('is not fooled by one replica reporting another height: the honest ones agree', async () => {
    set('liar', 'honest', 'honest', 'honest');
    const client = createChainClient({ nodes: urls, genesis: cluster.genesis, pollMs: 20 });
    for (let k = 0; k < 4; k++) {
      const tx = committedTx(k);
      const receipt = await client.submitAndAwaitFinal(tx, { timeoutMs: 5_000 });
      expect(receipt.height).toBe(where.get(tx.id)!.block.header.height);
    }
    client.close();
  });

  it('with one replica answering, settles on its commit certificate after checking it', async () => {
    set('honest', 'pending', 'pending', 'pending');
    const client = createChainClient({ nodes: urls, genesis: cluster.genesis, pollMs: 20 });
    const tx = committedTx(2);
    const receipt = await client.submitAndAwaitFinal(tx, { timeoutMs: 5_000 });
    expect(receipt).toMatchObject({ height: where.get(tx.id)!.block.header.height, evidence: 'certificate' });
    // …but a certificate that does not verify is no evidence: only one liar answers, so no finality
    set('liar', 'pending', 'pending', 'pending');
    await expect(client.submitAndAwaitFinal(tx, { timeoutMs: 600 })).rejects.toBeInstanceOf(ChainUnavailableError);
    client.close();
  });

  it('throws ChainRejectedError with the replicas\' reason when f+1 refuse it', async () => {
    set('refuse', 'refuse', 'refuse', 'refuse');
    const client = createChainClient({ nodes: urls, genesis: cluster.genesis, pollMs: 20 });
    const err = await client.submitAndAwaitFinal(committedTx(0), { timeoutMs: 5_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ChainRejectedError);
    expect(err.message).toMatch(/signature does not verify/);
    client.close();
  });

  it('one refusal is not enough (it may be the faulty replica)', async () => {
    set('refuse', 'honest', 'honest', 'honest');
    const client = createChainClient({ nodes: urls, genesis: cluster.genesis, pollMs: 20 });
    for (let k = 0; k < 4; k++) await expect(client.submitAndAwaitFinal(committedTx(k), { timeoutMs: 5_000 })).resolves.toMatchObject({ evidence: expect.any(String) });
    client.close();
  });

  it('throws ChainUnavailableError at its deadline when no quorum answers: refused connections, or requests never answered', async () => {
    const closed = await Promise.all([0, 1, 2, 3].map(async () => `http://127.0.0.1:${await freePort()}`));
    // takes each request and never answers it: only the client's own deadline can end the wait
    const silent = http.createServer(() => undefined);
    const silentPort = await freePort();
    await new Promise<void>((r) => silent.listen(silentPort, '127.0.0.1', r));
    try {
      for (const nodes of [closed, closed.map(() => `http://127.0.0.1:${silentPort}`)]) {
        const client = createChainClient({ nodes, genesis: cluster.genesis, pollMs: 20 });
        // the deadline read on the client's clock, so a busy machine cannot make it pass or fail
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        try {
          let outcome: unknown = 'still waiting';
          void client.submitAndAwaitFinal(committedTx(0), { timeoutMs: 500 }).then(
            () => (outcome = 'final'),
            (err) => (outcome = err),
          );
          await vi.advanceTimersByTimeAsync(499);
          expect(outcome, nodes[0]).toBe('still waiting');
          await vi.advanceTimersByTimeAsync(1);
          expect(outcome, nodes[0]).toBeInstanceOf(ChainUnavailableError);
          expect((outcome as Error).message).toMatch(/not final within 500 ms/);
        } finally {
          vi.useRealTimers();
          client.close();
        }
      }
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
    // and pending forever is unavailable too, not rejected
    set('pending', 'pending', 'pending', 'pending');
    const pendingClient = createChainClient({ nodes: urls, genesis: cluster.genesis, pollMs: 20, longPollMs: 50 });
    await expect(pendingClient.submitAndAwaitFinal(committedTx(0), { timeoutMs: 400 })).rejects.toBeInstanceOf(ChainUnavailableError);
    pendingClient.close();
  });
});

describe('chain client: proofOf', () => {
  it('returns only a proof that verifies against genesis, trying the next replica after a bad one', async () => {
    set('tampered-proof', 'tampered-proof', 'honest', 'honest');
    const client = createChainClient({ nodes: urls, genesis: cluster.genesis });
    for (let k = 0; k < 4; k++) {
      const tx = committedTx(k);
      const proof = await client.proofOf(tx.id);
      expect(proof?.transaction).toEqual(tx);
      expect(proof?.header.height).toBe(where.get(tx.id)!.block.header.height);
    }
    client.close();
  });

  it('is undefined for a transaction f+1 replicas do not have; unavailable when nobody answers', async () => {
    set('honest', 'honest', 'honest', 'honest');
    const client = createChainClient({ nodes: urls, genesis: cluster.genesis });
    expect(await client.proofOf('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    set('tampered-proof', 'tampered-proof', 'tampered-proof', 'tampered-proof');
    await expect(client.proofOf(committedTx(0).id)).rejects.toBeInstanceOf(ChainUnavailableError);
    client.close();
  });
});

describe('chainClientFromEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chain-client-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads CHAIN_NODES and CHAIN_GENESIS_FILE or CHAIN_GENESIS', () => {
    const file = join(dir, 'genesis.json');
    writeFileSync(file, JSON.stringify(cluster.genesis));
    expect(chainClientFromEnv({ CHAIN_NODES: urls.join(','), CHAIN_GENESIS_FILE: file }).chain.n).toBe(4);
    expect(chainClientFromEnv({ CHAIN_NODES: urls.join(', '), CHAIN_GENESIS: JSON.stringify(cluster.genesis) }).chain.genesisHash).toBe(cluster.chain.genesisHash);
  });

  it('fails naming the missing or malformed variable', () => {
    const genesis = JSON.stringify(cluster.genesis);
    expect(() => chainClientFromEnv({ CHAIN_GENESIS: genesis })).toThrow(/CHAIN_NODES: required/);
    expect(() => chainClientFromEnv({ CHAIN_NODES: 'not a url', CHAIN_GENESIS: genesis })).toThrow(/CHAIN_NODES: "not a url"/);
    expect(() => chainClientFromEnv({ CHAIN_NODES: urls.join(',') })).toThrow(/CHAIN_GENESIS_FILE or CHAIN_GENESIS: required/);
    expect(() => chainClientFromEnv({ CHAIN_NODES: urls.join(','), CHAIN_GENESIS_FILE: join(dir, 'missing.json') })).toThrow(/CHAIN_GENESIS_FILE: cannot read/);
    expect(() => chainClientFromEnv({ CHAIN_NODES: urls.join(','), CHAIN_GENESIS: '{' })).toThrow(/CHAIN_GENESIS: not JSON/);
    expect(() => chainClientFromEnv({ CHAIN_NODES: urls.join(','), CHAIN_GENESIS: '{"replicas":[]}' })).toThrow(/CHAIN_GENESIS: not a genesis/);
    expect(() => chainClientFromEnv({ CHAIN_NODES: urls[0], CHAIN_GENESIS: genesis })).toThrow(/CHAIN_NODES: 1 URLs/);
  });
});
