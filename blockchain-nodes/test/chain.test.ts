import { beforeAll, describe, expect, it } from 'vitest';
import { blockHash, commitVoteBytes, makeBlock, type Block, type CommittedBlock } from '../src/chain/block';
import { countingVerifier } from '../src/chain/crypto';
import { verifyFast } from '../src/chain/native-crypto';
import { signTransaction, transactionProblem, type Transaction } from '../src/chain/transaction';
import { buildInclusionProof, verifyChain, verifyCommittedBlock, verifyTransactionProof, type TransactionProof } from '../src/chain/verify';
import { cinemaTransaction, type TestCluster } from '../src/sim/fixtures';
import { scriptedPolicy } from '../src/sim/network';
import { Random } from '../src/sim/random';
import { secp256k1Scheme } from '../src/sim/signatures';
import { Simulation } from '../src/sim/simulation';

// A real chain: four replicas with secp256k1 keys commit the ledger's transactions; then an
// auditor holding only the genesis checks it, and every kind of tampering is caught at the
// block where it happened.

let cluster: TestCluster;
let chain: CommittedBlock[];
const rng = new Random(42);

beforeAll(() => {
  const sim = new Simulation({ n: 4, seed: 42, scheme: secp256k1Scheme(), network: scriptedPolicy(1), rules: { checkpointInterval: 4, watermarkWindow: 16 }, timing: { maxBatch: 5 } });
  for (let i = 0; i < 23; i++) sim.submit(cinemaTransaction(sim.cluster.ledger, rng), Math.floor(i / 5) * 40);
  expect(sim.settle(10_000)).toBe(true);
  cluster = sim.cluster;
  chain = sim.nodes[0].blocks;
});

/** A block 2f+1 replicas signed COMMIT for — what a Byzantine quorum could produce, used to test checks beyond signatures. */
function certify(block: Block, view = 0): CommittedBlock {
  const digest = blockHash(block.header);
  const commits = [0, 1, 2].map((replica) => ({
    replica,
    signature: cluster.replicaSigners[replica].sign(commitVoteBytes(cluster.chain, { view, seq: block.header.height, digest, from: replica })),
  }));
  return { block, certificate: { view, height: block.header.height, blockHash: digest, commits } };
}

const clone = <T>(x: T): T => structuredClone(x);

describe('verifyChain: an auditor with only the genesis', () => {
  it('accepts the chain the cluster committed, checking every signature', () => {
    expect(chain.length).toBeGreaterThanOrEqual(5);
    const counted = countingVerifier(verifyFast);
    const verdict = verifyChain(cluster.genesis, chain, counted);
    expect(verdict).toEqual({ ok: true, height: chain.length, headHash: chain[chain.length - 1].certificate.blockHash });
    const txs = chain.reduce((k, b) => k + b.block.transactions.length, 0);
    expect(counted.count).toBe(txs + chain.length * cluster.chain.quorum);
  });

  const tamperings: [string, (blocks: CommittedBlock[]) => void, RegExp][] = [
    ['a payload changed after commit', (b) => void ((b[2].block.transactions[0].payload as { amountCents: number }).amountCents += 1), /transaction root does not match/],
    ['a transaction dropped', (b) => void b[2].block.transactions.pop(), /count does not match/],
    ['a transaction re-signed by an unregistered key', (b) => {
      const stranger = cluster.scheme.signer('stranger');
      const tx = b[2].block.transactions[0];
      b[2].block.transactions[0] = signTransaction({ id: tx.id, type: tx.type, payload: tx.payload, submitter: stranger.publicKey }, stranger);
    }, /transaction root does not match|not registered/],
    ['a commit signature removed', (b) => void b[2].certificate.commits.pop(), /2 commits, 3 needed/],
    ['a commit counted twice', (b) => void (b[2].certificate.commits[2] = b[2].certificate.commits[0]), /counted twice/],
    ['a commit signature altered', (b) => void (b[2].certificate.commits[1].signature = b[2].certificate.commits[1].signature.replace(/^./, (c) => (c === '0' ? '1' : '0'))), /does not verify/],
    ['the parent link rewritten', (b) => void (b[2].block.header.parentHash = b[0].certificate.blockHash), /does not link to the previous block/],
    ['a block removed', (b) => void b.splice(2, 1), /height 4 does not follow 2/],
    ['two blocks swapped', (b) => void ([b[2], b[3]] = [b[3], b[2]]), /does not follow/],
    ['the timestamp moved', (b) => void (b[2].block.header.timestamp += 1), /another block/],
  ];
  for (const [what, tamper, reason] of tamperings) {
    it(`names block 3 when ${what}`, () => {
      const blocks = clone(chain);
      tamper(blocks);
      const verdict = verifyChain(cluster.genesis, blocks);
      expect(verdict.ok).toBe(false);
      expect(verdict.height).toBe(3);
      if (!verdict.ok) expect(verdict.reason).toMatch(reason);
    });
  }

  it('refuses a transaction committed twice even when a quorum certified both blocks', () => {
    const head = chain[chain.length - 1].block.header;
    const again = makeBlock({ height: head.height + 1, parentHash: blockHash(head), view: 0, proposer: 0, timestamp: head.timestamp }, [chain[0].block.transactions[0]]);
    const verdict = verifyChain(cluster.genesis, [...chain, certify(again)]);
    expect(verdict).toMatchObject({ ok: false, height: chain.length + 1, reason: expect.stringMatching(/already committed/) });
  });

  it('refuses a block whose certificate is for another height or another chain', () => {
    const moved = clone(chain[0]);
    moved.certificate.height = 2;
    expect(verifyChain(cluster.genesis, [moved])).toMatchObject({ ok: false, height: 1, reason: 'certificate is for another height' });
    const otherGenesis = { ...cluster.genesis, chainName: 'another cinema' };
    expect(verifyChain(otherGenesis, chain)).toMatchObject({ ok: false, height: 1 });
  });
});

describe('verifyCommittedBlock: what a lagging replica checks before appending', () => {
  it('accepts the next block on its parent, and nothing else', () => {
    expect(verifyCommittedBlock(cluster.genesis, null, chain[0].block, chain[0].certificate)).toEqual({ ok: true });
    expect(verifyCommittedBlock(cluster.genesis, chain[2].block.header, chain[3].block, chain[3].certificate)).toEqual({ ok: true });
    expect(verifyCommittedBlock(cluster.genesis, chain[1].block.header, chain[3].block, chain[3].certificate)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not follow/) });
    expect(verifyCommittedBlock(cluster.genesis, chain[2].block.header, chain[3].block, chain[2].certificate)).toMatchObject({ ok: false, reason: expect.stringMatching(/another height/) });
  });
});

describe('transaction proofs: one booking, checkable offline', () => {
  const proofs = () => chain.flatMap((c) => c.block.transactions.map((tx) => buildInclusionProof(c, tx.id)));

  it('every committed transaction has a proof that verifies against the genesis keys alone', () => {
    const all = proofs();
    expect(all.length).toBe(23);
    for (const proof of all) expect(verifyTransactionProof(cluster.genesis, proof)).toEqual({ ok: true });
  });

  it('a proof survives a JSON round trip, as it would in a file or an HTTP answer', () => {
    const proof = JSON.parse(JSON.stringify(proofs()[7])) as TransactionProof;
    expect(verifyTransactionProof(cluster.genesis, proof)).toEqual({ ok: true });
  });

  it('any altered part of a proof fails', () => {
    const proof = proofs().find((p) => p.path.length >= 2)!;
    const alter: [string, (p: TransactionProof) => void][] = [
      ['payload', (p) => void ((p.transaction.payload as { amountCents: number }).amountCents = 1)],
      ['transaction id', (p) => void (p.transaction.id = p.transaction.id.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')))],
      ['index', (p) => void (p.index ^= 1)],
      ['path hash', (p) => void (p.path[0] = p.path[0].replace(/^./, (c) => (c === '0' ? '1' : '0')))],
      ['path order', (p) => void p.path.reverse()],
      ['path truncated', (p) => void p.path.pop()],
      ['tree size', (p) => void (p.header.txCount += 1)],
      ['transaction root', (p) => void (p.header.txRoot = p.header.parentHash)],
      ['header height', (p) => void (p.header.height += 1)],
      ['certificate commits', (p) => void p.certificate.commits.splice(0, 1)],
      ['certificate view', (p) => void (p.certificate.view += 1)],
    ];
    for (const [what, change] of alter) {
      const altered = clone(proof);
      change(altered);
      expect(verifyTransactionProof(cluster.genesis, altered).ok, what).toBe(false);
    }
  });
});

describe('transaction rules', () => {
  const ledger = () => cluster.ledger;
  const valid = (): Transaction => cinemaTransaction(ledger(), rng);

  it('accepts a transaction signed by a registered submitter', () => {
    expect(transactionProblem(cluster.chain, valid(), verifyFast)).toBeNull();
  });

  const cases: [string, (tx: Transaction) => unknown, RegExp][] = [
    ['an upper-case id (the same event would get two ids)', (tx) => ({ ...tx, id: tx.id.toUpperCase() }), /lower-case uuid/],
    ['a missing payload', ({ payload: _payload, ...rest }) => rest, /payload is missing/],
    ['an extra field', (tx) => ({ ...tx, note: 'x' }), /unexpected field note/],
    ['a payload with NaN', (tx) => ({ ...tx, payload: { amount: NaN } }), /no canonical form/],
    ['a payload over 16 KiB', (tx) => ({ ...tx, payload: 'x'.repeat(17_000) }), /too large/],
    ['a signature that is not 64 bytes', (tx) => ({ ...tx, signature: tx.signature.slice(2) }), /64 bytes/],
    ['a payload changed after signing', (tx) => ({ ...tx, payload: { amountCents: 1 } }), /does not verify/],
    ['a submitter genesis does not list', (tx) => {
      const stranger = cluster.scheme.signer('stranger');
      return signTransaction({ id: tx.id, type: tx.type, payload: tx.payload, submitter: stranger.publicKey }, stranger);
    }, /not registered/],
  ];
  for (const [what, make, reason] of cases) {
    it(`refuses ${what}`, () => {
      expect(transactionProblem(cluster.chain, make(valid()) as Transaction, verifyFast)).toMatch(reason);
    });
  }
});
