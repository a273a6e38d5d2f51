import { describe, expect, it } from 'vitest';
import { blockHash, makeBlock } from '../src/chain/block';
import { verifyChain } from '../src/chain/verify';
import { signPrePrepare, signVote } from '../src/pbft/messages';
import { crash, type Behaviour } from '../src/sim/byzantine';
import { cinemaTransaction } from '../src/sim/fixtures';
import { scriptedPolicy, type Envelope } from '../src/sim/network';
import { Random } from '../src/sim/random';
import { secp256k1Scheme } from '../src/sim/signatures';
import { Simulation } from '../src/sim/simulation';

// Four replicas (f = 1) with real secp256k1 keys, a network where every message takes 1 ms
// unless a rule drops it, and one client transaction. Each test prints its message diagram:
//   time  sender → receivers  message

function cluster(faults: Record<number, Behaviour> = {}, drop: ((e: Envelope, now: number) => boolean)[] = []) {
  const network = scriptedPolicy(1);
  network.drop.push(...drop);
  const sim = new Simulation({
    n: 4,
    seed: 1,
    scheme: secp256k1Scheme(),
    network,
    faults,
    rules: { checkpointInterval: 4, watermarkWindow: 16 },
    timing: { viewChangeTimeout: 200, statusInterval: 100 },
    trace: true,
  });
  const tx = cinemaTransaction(sim.cluster.ledger, new Random(1), { type: 'booking.confirmed' });
  sim.submit(tx, 0);
  return { sim, tx };
}

/** The trace as a diagram: one line per message, its receivers merged; client relays left out. */
function diagram(sim: Simulation): string[] {
  const lines: { key: string; time: string; from: string; to: string[]; what: string }[] = [];
  for (const line of sim.trace) {
    const m = line.match(/^\s*(\d+)\s+(\d+) → (\d+)\s+(.*)$/);
    if (!m || m[4].startsWith('REQUEST')) continue;
    const [, time, from, to, what] = m;
    const key = `${time}|${from}|${what}`;
    const last = lines.find((l) => l.key === key);
    if (last) last.to.push(to);
    else lines.push({ key, time, from, to: [to], what });
  }
  return lines.map((l) => `${l.time.padStart(5)}  ${l.from} → ${l.to.sort().join(',').padEnd(5)}  ${l.what}`);
}

function expectInOrder(lines: string[], patterns: RegExp[]): void {
  let at = 0;
  for (const pattern of patterns) {
    const found = lines.findIndex((line, i) => i >= at && pattern.test(line));
    expect(found, `${pattern} after line ${at} in\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

const show = (title: string, lines: string[]) => console.log(`${title}\n${lines.join('\n')}`);

describe('scenarios (message diagrams)', () => {
  it('normal case: pre-prepare, prepare, commit, and a block with its certificate', () => {
    const { sim, tx } = cluster();
    expect(sim.settle(2_000)).toBe(true);
    const lines = diagram(sim);
    show('normal case', lines);
    expectInOrder(lines, [
      /0 → 1,2,3\s+PRE-PREPARE v0 #1 \w+ \(1 tx\)/,
      /1 → 0,2,3\s+PREPARE v0 #1/,
      /2 → 0,1,3\s+PREPARE v0 #1/,
      /3 → 0,1,2\s+PREPARE v0 #1/,
      /COMMIT v0 #1/,
    ]);
    expect(lines.filter((l) => /COMMIT v0 #1/.test(l))).toHaveLength(4);
    for (const node of sim.nodes) {
      expect(node.blocks.map((b) => b.block.transactions.map((t) => t.id))).toEqual([[tx.id]]);
      expect(node.blocks[0].certificate.commits.length).toBe(3);
      expect(verifyChain(sim.cluster.genesis, node.blocks)).toMatchObject({ ok: true, height: 1 });
    }
  });

  it('primary crash: the backups time out, change view, and the new primary commits the request', () => {
    const { sim, tx } = cluster({ 0: crash(0) });
    expect(sim.settle(3_000)).toBe(true);
    const lines = diagram(sim);
    show('primary crash and view change', lines);
    expectInOrder(lines, [
      /1 → 2,3\s+VIEW-CHANGE v1 stable #0 prepared \[\]/,
      /1 → 2,3\s+NEW-VIEW v1 re-proposes \[\]/,
      /1 → 2,3\s+PRE-PREPARE v1 #1 \w+ \(1 tx\)/,
      /COMMIT v1 #1/,
    ]);
    for (const node of sim.honest) {
      expect(node.state.view).toBe(1);
      const [committed] = node.blocks;
      expect(committed.block.transactions[0].id).toBe(tx.id);
      expect(committed.block.header).toMatchObject({ height: 1, view: 1, proposer: 1 });
    }
  });

  it('equivocating primary: one block to replica 1, another to 2 and 3; neither commits in view 0, the view change keeps the one 2f+1 prepared', () => {
    // Replica 0 signs two different blocks for (view 0, #1) and votes COMMIT for both.
    const equivocating: Behaviour = {
      name: 'equivocator',
      outbound(ctx, sends) {
        return sends.flatMap((s) => {
          const m = s.message;
          if (m.kind === 'pre-prepare') {
            const other = makeBlock({ ...m.block.header, timestamp: m.block.header.timestamp + 1 }, m.block.transactions);
            const twin = signPrePrepare(ctx.chain, ctx.signer, 0, m.view, m.seq, blockHash(other.header), other);
            const commit = (digest: string) => signVote(ctx.chain, ctx.signer, 'commit', { view: m.view, seq: m.seq, digest, from: 0 });
            return [
              { to: 1, message: m },
              { to: 2, message: twin },
              { to: 3, message: twin },
              { to: 'all' as const, message: commit(m.digest) },
              { to: 'all' as const, message: commit(twin.digest) },
            ];
          }
          return m.kind === 'commit' ? [] : [s];
        });
      },
    };
    const { sim, tx } = cluster({ 0: equivocating });
    expect(sim.settle(3_000)).toBe(true);
    const lines = diagram(sim);
    show('equivocating primary', lines);
    const [toOne, toOthers] = [lines.find((l) => /0 → 1 \s+PRE-PREPARE/.test(l))!, lines.find((l) => /0 → 2,3\s+PRE-PREPARE/.test(l))!];
    const digestOf = (line: string) => line.match(/#1 (\w+)/)![1];
    expect(digestOf(toOne)).not.toBe(digestOf(toOthers));
    // Replica 0's first COMMIT counts for the block replica 1 holds, so neither block reaches
    // 2f+1 commits in view 0. Replicas 2 and 3 prepared theirs (with 1's help nobody's), and
    // that prepared certificate is what the new view carries.
    expectInOrder(lines, [/VIEW-CHANGE v1 stable #0 prepared \[#1@v0\]/, new RegExp(`NEW-VIEW v1 re-proposes \\[#1 ${digestOf(toOthers)}`), new RegExp(`COMMIT v1 #1 ${digestOf(toOthers)}`)]);
    const decided = sim.honest.map((n) => n.blocks[0]?.certificate.blockHash.slice(0, 6));
    expect(new Set(decided)).toEqual(new Set([digestOf(toOthers)]));
    expect(sim.honest.every((n) => n.state.view === 1)).toBe(true);
    expect(sim.honest.every((n) => n.blocks[0].block.transactions[0].id === tx.id)).toBe(true);
    expect(sim.violations).toEqual([]);
  });

  it('a request prepared but not committed before a view change keeps its sequence number in the new view', () => {
    // Every COMMIT of view 0 is lost: all replicas prepare #1, none commits it, the timers fire.
    const commitsOfViewZero = ({ payload }: Envelope) => payload.layer === 'pbft' && payload.message.kind === 'commit' && payload.message.view === 0;
    const { sim, tx } = cluster({}, [commitsOfViewZero]);
    expect(sim.settle(3_000)).toBe(true);
    const lines = diagram(sim);
    show('prepared, not committed, carried into view 1', lines);
    const proposed = lines.find((l) => /0 → 1,2,3\s+PRE-PREPARE v0 #1/.test(l))!.match(/#1 (\w+)/)![1];
    expectInOrder(lines, [
      /PRE-PREPARE v0 #1/,
      /PREPARE v0 #1/,
      new RegExp(`VIEW-CHANGE v1 stable #0 prepared \\[#1@v0\\]`),
      new RegExp(`1 → 0,2,3\\s+NEW-VIEW v1 re-proposes \\[#1 ${proposed} \\(1 tx\\)\\]`),
      new RegExp(`PREPARE v1 #1 ${proposed}`),
      new RegExp(`COMMIT v1 #1 ${proposed}`),
    ]);
    for (const node of sim.nodes) {
      const [committed] = node.blocks;
      expect(committed.block.transactions[0].id).toBe(tx.id);
      // Same sequence number, same block: proposed in view 0, committed by a certificate of view 1.
      expect(committed.block.header).toMatchObject({ height: 1, view: 0, proposer: 0 });
      expect(committed.certificate).toMatchObject({ view: 1, height: 1 });
      expect(committed.certificate.blockHash.slice(0, 6)).toBe(proposed);
    }
  });
});
