// The ledger end to end, on the full local stack and a real 4-replica cluster: the seed's
// purchase ends with the payment and the booking in committed blocks on all four replicas;
// the booking's proof verifies offline, and fails with any byte changed; the replicas
// stopped for 30 s while bookings go on lose nothing and write nothing twice. Each test makes
// the purchases it checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, signUp, signUpAdmin, eventually, queueSettled, type TestStack } from '../support/stack';
import { scheduleShowtime, buy, bookingFor } from '../support/flow';
import { startTestCluster, type TestCluster } from '../../blockchain-nodes/test/runtime/support';
import { ROOT } from '../../infra/local/gateway';
import { verifyBookingProof, type BookingProof } from '../../functions/ledger/proof';
import type { ChainClient } from '../../layers/chain/port';
import { queueName } from '../../layers/events/topology';

let cluster: TestCluster;
let stack: TestStack;
let admin: string;
const dir = mkdtempSync(join(tmpdir(), 'cinema-ledger-'));

/**
 * The ledger's chain client, with company: each fact the ledger submits leaves with a
 * transaction of this test's own, in the same turn, so the client sends both to every replica
 * in one request and the primary puts them in one block. A fact's proof then has a Merkle path.
 */
function withNeighbours(client: ChainClient, neighbour: () => ReturnType<TestCluster['tx']>): ChainClient {
  return {
    submitAndAwaitFinal(tx, options) {
      void client.submitAndAwaitFinal(neighbour(), options).catch(() => undefined);
      return client.submitAndAwaitFinal(tx, options);
    },
    proofOf: (id) => client.proofOf(id),
  };
}

beforeAll(async () => {
  cluster = await startTestCluster();
  const chain = withNeighbours(cluster.client, () => cluster.tx({ neighbour: 'of a ledger fact' }, 'test.neighbour'));
  stack = await startTestStack({ ...cluster.env }, { events: true, chain });
  admin = (await signUpAdmin(stack)).token;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const ledger = () => stack.db.pool('ledger');

async function finalFacts(paymentId: string, count: number) {
  return eventually(async () => {
    const rows = (await ledger().query(`SELECT event_id, event_type, status, height, block_hash FROM ledger_entries WHERE payment_id = $1 ORDER BY event_type`, [paymentId])).rows;
    return rows.length === count && rows.every((r) => r.status === 'final') ? rows : undefined;
  }, 60_000, `${count} final ledger facts`);
}

/** Every transaction id in replica `id`'s chain, with how often it appears. */
async function transactionsOn(id: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let from = 1; ; from += 100) {
    const page = await cluster.api(id, 'GET', `/blocks?from=${from}&limit=100`);
    for (const b of page.body.blocks) for (const tx of b.block.transactions) counts.set(tx.id, (counts.get(tx.id) ?? 0) + 1);
    if (from + 100 > page.body.height) return counts;
  }
}

/** The CLI, run without blocking this process: a blocked event loop misses the gateway closing idle connections, and the next request fails on one. */
function cinema(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/cinema.mjs'), ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** A purchase whose two facts are final, and its booking's proof as the customer gets it. */
async function provenPurchase(seats: string[]) {
  const { showtimeId } = await scheduleShowtime(stack, admin);
  const customer = await signUp(stack.api);
  const bought = await buy(stack.api, customer.token, showtimeId, seats);
  const booking = await bookingFor(stack, bought.paymentId!);
  const facts = await finalFacts(bought.paymentId!, 2);
  const res = await stack.api('GET', `/bookings/${booking.id}/proof`, { token: customer.token });
  expect(res.status).toBe(200);
  return { customer, booking, facts, proof: res.body as BookingProof };
}

describe('the ledger', () => {
  it('puts the payment and the booking in committed blocks on all four replicas, and proves the booking', async () => {
    const { customer, booking, facts, proof } = await provenPurchase(['A3', 'A4']);
    expect(facts.map((f) => f.event_type)).toEqual(['booking.confirmed', 'payment.success']);

    for (let id = 0; id < 4; id++) {
      for (const fact of facts) {
        const status = await eventually(async () => {
          const r = await cluster.api(id, 'GET', `/transactions/${fact.event_id}`);
          return r.body.status === 'committed' ? r.body : undefined;
        }, 30_000, `replica ${id} to commit ${fact.event_type}`);
        expect(Number(status.height)).toBe(Number(fact.height));
      }
    }

    expect(proof.facts.map((f) => f.event)).toEqual(['payment.success', 'booking.confirmed']);
    const verdict = verifyBookingProof(cluster.files.genesis, proof);
    expect(verdict).toMatchObject({ ok: true, booking: { bookingId: booking.id, userId: customer.user.id, seats: ['A3', 'A4'], amount: booking.amount } });

    // what anyone reads of the chain: the facts' ids in clear, not who bought which seats for how much
    const served = JSON.stringify((await cluster.api(0, 'GET', `/blocks?from=${Math.min(...facts.map((f) => Number(f.height)))}&limit=10`)).body);
    expect(served).toContain(booking.id);
    for (const hidden of [customer.user.id, '"A3"', `"amount":${booking.amount}`]) expect(served).not.toContain(hidden);
    // the genesis that verifies it is served by the gateway and by every replica
    expect((await stack.api('GET', '/ledger/genesis')).body).toEqual(cluster.files.genesis);
    expect((await cluster.api(3, 'GET', '/genesis')).body).toEqual(cluster.files.genesis);

    const file = join(dir, 'proof.json');
    writeFileSync(file, JSON.stringify(proof));
    const verified = await cinema('proof', 'verify', file, '--genesis', cluster.files.genesisFile);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/VALID: booking/);
    expect(verified.stdout).toContain(`seats A3, A4`);
    expect(verified.stdout).toMatch(/the booking \(booking.confirmed\) is in block \d+ of chain ".*", committed .* and signed by replicas \d, \d, \d(, \d)? of 4/);

    // nobody else's business; an admin may look
    expect((await stack.api('GET', `/bookings/${booking.id}/proof`, { token: (await signUp(stack.api)).token })).status).toBe(404);
    expect((await stack.api('GET', `/bookings/${booking.id}/proof`, { token: admin })).status).toBe(200);
  }, 120_000);

  it('fails the proof when any byte is changed: transaction, path, header or a signature', async () => {
    const { proof } = await provenPurchase(['A5', 'A6']);
    expect(verifyBookingProof(cluster.files.genesis, proof)).toMatchObject({ ok: true });
    const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    const altered: [string, (p: BookingProof) => void][] = [
      ['the amount committed in a transaction', (p) => ((p.facts[1].proof.transaction.payload as any).commitments.amount = flip((p.facts[1].proof.transaction.payload as any).commitments.amount))],
      ['the disclosed amount', (p) => ((p.facts[1].disclosure as any).amount.value += 1)],
      ['a disclosed seat', (p) => ((p.facts[1].disclosure as any).seats.value[0] = 'Z9')],
      ['a salt', (p) => ((p.facts[0].disclosure as any).userId.salt = flip((p.facts[0].disclosure as any).userId.salt))],
      ['a disclosure left out', (p) => delete (p.facts[0].disclosure as any).seats],
      ['a public id in a transaction', (p) => ((p.facts[1].proof.transaction.payload as any).data.showtimeId = crypto.randomUUID())],
      ['the transaction signature', (p) => (p.facts[0].proof.transaction.signature = flip(p.facts[0].proof.transaction.signature))],
      ['the index in the tree', (p) => (p.facts[0].proof.index += 1)],
      ['the Merkle root in the header', (p) => (p.facts[0].proof.header.txRoot = flip(p.facts[0].proof.header.txRoot))],
      ['the parent hash in the header', (p) => (p.facts[1].proof.header.parentHash = flip(p.facts[1].proof.header.parentHash))],
      ['the block timestamp', (p) => (p.facts[1].proof.header.timestamp += 1)],
      ['a commit signature of the certificate', (p) => {
        const sig = p.facts[1].proof.certificate.commits[0] as any;
        sig.signature = flip(sig.signature);
      }],
      ['the booking it claims to prove', (p) => (p.bookingId = p.bookingId.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')))],
    ];
    for (const [what, change] of altered) {
      const copy = structuredClone(proof);
      change(copy);
      expect(verifyBookingProof(cluster.files.genesis, copy).ok, what).toBe(false);
    }
    // a hash of the Merkle path: each fact shares its block with its neighbour, so each has a path
    for (const [k, fact] of proof.facts.entries()) {
      expect(fact.proof.header.txCount, `${fact.event}: transactions in its block`).toBeGreaterThanOrEqual(2);
      expect(fact.proof.path.length, `${fact.event}: its Merkle path`).toBeGreaterThan(0);
      const copy = structuredClone(proof);
      copy.facts[k].proof.path[0] = flip(copy.facts[k].proof.path[0]);
      expect(verifyBookingProof(cluster.files.genesis, copy).ok, `a path hash of ${fact.event}`).toBe(false);
    }
    const file = join(dir, 'tampered.json');
    const copy = structuredClone(proof);
    (copy.facts[1].disclosure as any).amount.value = 1;
    writeFileSync(file, JSON.stringify(copy));
    const out = await cinema('proof', 'verify', file, '--genesis', cluster.files.genesisFile);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/INVALID/);
  }, 120_000);

  it('payment.success redelivered: one transaction on the chain', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const bought = await buy(stack.api, (await signUp(stack.api)).token, showtimeId, ['B2']);
    await bookingFor(stack, bought.paymentId!);
    const [, paid] = await finalFacts(bought.paymentId!, 2);
    const { rows } = await stack.db.pool('payment').query(`SELECT envelope FROM outbox WHERE event_type = 'payment.success' AND envelope->'data'->>'paymentId' = $1`, [bought.paymentId]);
    for (let i = 0; i < 3; i++) await stack.bus!.publish(stack.signed(rows[0].envelope));
    // and the chain itself refuses a second copy, whoever submits it
    const { rows: entry } = await ledger().query('SELECT transaction FROM ledger_entries WHERE event_id = $1', [paid.event_id]);
    const again = await cluster.client.submitAndAwaitFinal(entry[0].transaction);
    expect(again.height).toBe(Number(paid.height));
    // every redelivery handled and acknowledged, each a duplicate to the recorder's inbox
    await queueSettled(queueName(stack.topology!, 'ledger-recorder'));
    expect((await ledger().query(`SELECT count(*) AS n FROM inbox WHERE consumer = 'ledger-recorder' AND event_id = $1`, [paid.event_id])).rows[0].n).toBe(1);
    expect((await ledger().query('SELECT count(*) AS n FROM ledger_entries WHERE payment_id = $1', [bought.paymentId])).rows[0].n).toBe(2);
    await cluster.converged([0, 1, 2, 3], Number(paid.height), 30_000);
    for (let id = 0; id < 4; id++) expect((await transactionsOn(id)).get(paid.event_id), `replica ${id}`).toBe(1);
  }, 90_000);

  it('the replicas stopped for 30 s while bookings go on: afterwards every event is on the chain exactly once', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const buyers = await Promise.all(Array.from({ length: 4 }, () => signUp(stack.api)));
    const proven = await provenPurchase(['B7']);
    await cluster.stop();
    const stoppedAt = Date.now();
    // a final booking's proof while no replica answers: a 503 to retry, not our 500
    const away = await stack.api('GET', `/bookings/${proven.booking.id}/proof`, { token: proven.customer.token });
    expect(away.status).toBe(503);
    expect(away.headers.get('retry-after')).toBe('5');
    expect(away.body.error).toMatchObject({ code: 'unavailable', message: "The ledger's replicas are not answering; try again shortly" });
    const bought: Awaited<ReturnType<typeof buy>>[] = [];
    for (const [i, b] of buyers.entries()) bought.push(await buy(stack.api, b.token, showtimeId, [`C${i + 1}`]));
    const bookings = await Promise.all(bought.map((b) => bookingFor(stack, b.paymentId!)));
    // one booking cancelled while the chain is away: booking.cancelled and payment.refunded wait too
    expect((await stack.api('POST', `/bookings/${bookings[0].id}/cancel`, { token: buyers[0].token })).status).toBe(200);
    await eventually(async () => ((await ledger().query(`SELECT count(*) AS n FROM ledger_entries WHERE event_type = 'payment.refunded' AND payment_id = $1`, [bought[0].paymentId])).rows[0].n === 1 ? true : undefined), 30_000, 'the refund recorded');
    const pending = (await ledger().query(`SELECT count(*) AS n FROM ledger_entries WHERE status = 'pending'`)).rows[0].n;
    expect(pending).toBeGreaterThanOrEqual(10); // 4 × (payment + booking) + cancel + refund
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - stoppedAt))));

    for (let id = 0; id < 4; id++) await cluster.start(id);
    await eventually(async () => ((await ledger().query(`SELECT count(*) AS n FROM ledger_entries WHERE status = 'pending'`)).rows[0].n === 0 ? true : undefined), 120_000, 'the backlog to drain');

    const recorded = (await ledger().query(`SELECT event_id FROM ledger_entries`)).rows.map((r) => r.event_id as string);
    await cluster.converged([0, 1, 2, 3], 1, 60_000);
    for (let id = 0; id < 4; id++) {
      const onChain = await transactionsOn(id);
      for (const eventId of recorded) expect(onChain.get(eventId), `replica ${id}, event ${eventId}`).toBe(1);
    }
  }, 240_000);
});
