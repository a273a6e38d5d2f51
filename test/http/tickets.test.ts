// Tickets, the door and the customer's mails, over the real stack: a booking's tickets, each
// check-in verdict, the door's concurrency and offline journals, and one mail per fact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { bookingFor, buy, scheduleShowtime } from '../support/flow';
import { base45Decode, base45Encode, checkTicketAtDoor, issueTicketCode, readTicketCode, verifyTicketCode } from '../../layers/contracts/ticket-code';
import type { Envelope } from '../../layers/events/envelope';

let stack: TestStack;
let admin: string;
let door: string;
let soon: string; // a showtime whose door is open
let later: string; // one in three days: its door opens later

beforeAll(async () => {
  stack = await startTestStack({}, { events: true });
  admin = (await signUpAdmin(stack)).token;
  const email = `door-${randomBytes(4).toString('hex')}@example.test`;
  const granted = await stack.api('PUT', '/admin/staff', { token: admin, body: { email, role: 'door', name: 'Door one', password: 'door-password-1' } });
  expect(granted.status).toBe(201);
  door = (await stack.api('POST', '/auth/login', { body: { email, password: 'door-password-1' } })).body.token;
  soon = (await scheduleShowtime(stack, admin, { startsInMinutes: 30 })).showtimeId;
  later = (await scheduleShowtime(stack, admin)).showtimeId;
}, 180_000);

afterAll(async () => stack?.stop());

/** A customer with a confirmed booking of `seats`, and its tickets as the API gives them. */
async function booked(showtimeId: string, seats: string[]) {
  const customer = await signUp(stack.api);
  const bought = await buy(stack.api, customer.token, showtimeId, seats);
  const booking = await bookingFor(stack, bought.paymentId!);
  const res = await stack.api('GET', `/bookings/${booking.id}/tickets`, { token: customer.token });
  expect(res.status).toBe(200);
  return { customer, booking, tickets: res.body.tickets as any[], reference: res.body.booking.reference as string };
}

let scans = 0;
const scan = (code: string, over: Record<string, unknown> = {}) =>
  stack.api('POST', '/checkins', { token: door, body: { code, deviceId: 'door-1', scanId: `s-${scans++}-${randomUUID()}`, scannedAt: new Date().toISOString(), ...over } });

const mails = async (to: string) => (await stack.db.pool('auth').query('SELECT subject, body, fact_key FROM dev_mailbox WHERE to_address = $1 ORDER BY id', [to])).rows;

describe('tickets', () => {
  it('issues one signed ticket per seat with the booking reference, verifiable with the published keys alone', async () => {
    const { tickets, reference, booking, customer } = await booked(soon, ['A1', 'A2']);
    expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}$/);
    expect(tickets.map((t) => t.seat).sort()).toEqual(['A1', 'A2']);
    const keys = (await stack.api('GET', '/tickets/keys')).body.keys;
    expect(keys).toEqual([{ keyId: 1, publicKey: expect.stringMatching(/^0[23][0-9a-f]{64}$/) }]);
    for (const t of tickets) {
      expect(t.qrSvg).toMatch(/^<svg[^>]*>/);
      const v = verifyTicketCode(t.code, keys);
      expect(v).toMatchObject({ ok: true, claims: { ticketId: t.id, bookingId: booking.id, showtimeId: soon, seat: t.seat } });
    }
    // the booking itself carries the reference; another customer sees nothing, an admin all
    expect((await stack.api('GET', `/bookings/${booking.id}`, { token: customer.token })).body.booking.reference).toBe(reference);
    expect((await stack.api('GET', `/bookings/${booking.id}/tickets`, { token: (await signUp(stack.api)).token })).status).toBe(404);
    expect((await stack.api('GET', `/bookings/${booking.id}/tickets`, { token: admin })).body.tickets).toHaveLength(2);
    expect((await stack.api('GET', `/bookings/${booking.id}/tickets`)).status).toBe(401);
  });

  it('re-issues a ticket with a new code and revokes the old one', async () => {
    const { tickets, booking, customer } = await booked(soon, ['A3']);
    const res = await stack.api('POST', `/bookings/${booking.id}/tickets/${tickets[0].id}/reissue`, { token: customer.token });
    expect(res.status).toBe(201);
    expect(res.body.ticket).toMatchObject({ seat: 'A3', replaces: tickets[0].id, status: 'valid' });
    expect(res.body.ticket.code).not.toBe(tickets[0].code);
    expect((await scan(tickets[0].code)).body.checkin).toMatchObject({ verdict: 'revoked' });
    expect((await scan(res.body.ticket.code)).body.checkin).toMatchObject({ verdict: 'admitted', ticket: { seat: 'A3' } });
    const after = (await stack.api('GET', `/bookings/${booking.id}/tickets`, { token: customer.token })).body.tickets;
    expect(after.map((t: any) => [t.seat, t.status])).toEqual([['A3', 'valid'], ['A3', 'revoked']]);
  });
});

describe('the door role', () => {
  it('is needed to check in, and only an admin grants it', async () => {
    const customer = await signUp(stack.api);
    expect((await stack.api('POST', '/checkins', { token: customer.token, body: { code: 'x', deviceId: 'd', scanId: 's', scannedAt: new Date().toISOString() } })).status).toBe(403);
    expect((await stack.api('PUT', '/admin/staff', { token: door, body: { email: customer.email, role: 'door' } })).status).toBe(403);
    expect((await stack.api('PUT', '/admin/staff', { token: customer.token, body: { email: customer.email, role: 'admin' } })).status).toBe(403);
    // door staff see no operator route
    expect((await stack.api('GET', '/admin/bookings', { token: door })).status).toBe(403);
    const promoted = await stack.api('PUT', '/admin/staff', { token: admin, body: { email: customer.email, role: 'door' } });
    expect(promoted.body.user).toMatchObject({ email: customer.email, role: 'door' });
    expect((await stack.api('GET', `/showtimes/${soon}/checkins`, { token: customer.token })).status).toBe(200);
  });
});

describe('check-in', () => {
  it('answers every verdict', async () => {
    const { tickets, reference } = await booked(soon, ['B1', 'B2']);
    const first = await scan(tickets[0].code, { deviceId: 'door-a', showtimeId: soon });
    expect(first.body.checkin).toMatchObject({ verdict: 'admitted', ticket: { seat: 'B1', reference } });
    const again = await scan(tickets[0].code, { deviceId: 'door-b' });
    expect(again.body.checkin).toMatchObject({ verdict: 'already-admitted', admitted: { deviceId: 'door-a' } });
    expect(again.body.checkin.reason).toContain('door-a');
    expect((await scan(tickets[1].code, { showtimeId: later })).body.checkin).toMatchObject({ verdict: 'wrong-showtime' });
    // the typed reference and seat find the ticket
    expect((await scan(`${reference.toLowerCase()} b2`)).body.checkin).toMatchObject({ verdict: 'admitted', ticket: { seat: 'B2' } });
    const far = await booked(later, ['A1']);
    expect((await scan(far.tickets[0].code)).body.checkin).toMatchObject({ verdict: 'not-yet-open' });
    // signed by another key under our key id: not a ticket
    const forged = issueTicketCode({ ...readTicketCode(tickets[1].code).ok && (readTicketCode(tickets[1].code) as any).claims }, secp.utils.randomSecretKey());
    expect((await scan(forged)).body.checkin).toMatchObject({ verdict: 'not-a-ticket', reason: 'the signature does not match' });
    expect((await scan('https://example.org/')).body.checkin).toMatchObject({ verdict: 'not-a-ticket' });
    expect((await scan('')).body.checkin).toMatchObject({ verdict: 'not-a-ticket' });
  });

  it('never answers a 5xx, whatever the code holds: 1,000 random strings and every truncation of a code', async () => {
    const { tickets } = await booked(soon, ['B3']);
    const code: string = tickets[0].code;
    const bytes = base45Decode(code)!;
    const inputs: string[] = [];
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:abcxyz{}"\\\u00e9\u2603\u0000\n';
    for (let i = 0; i < 1000; i++) {
      const n = Math.floor(Math.random() * 300);
      if (i % 4 === 0) inputs.push(base45Encode(randomBytes(n))); // well-formed base45, random bytes
      else if (i % 4 === 1) inputs.push(base45Encode(Uint8Array.from([1, 1, ...randomBytes(n)]))); // our header, garbage after
      else inputs.push(Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(''));
    }
    for (let n = 0; n < code.length; n++) inputs.push(code.slice(0, n));
    for (let n = 0; n < bytes.length; n++) inputs.push(base45Encode(bytes.subarray(0, n)));
    const statuses: number[] = [];
    const verdicts = new Map<string, number>();
    for (let i = 0; i < inputs.length; i += 16) {
      const answers = await Promise.all(inputs.slice(i, i + 16).map((c) => scan(c)));
      answers.forEach((a, j) => {
        statuses.push(a.status);
        if (a.status === 200) verdicts.set(a.body.checkin.verdict, (verdicts.get(a.body.checkin.verdict) ?? 0) + 1);
        // only text with control characters is refused before the door judges it (the API's plain-input rule)
        else expect([a.status, a.body.error.code, /[\u0000-\u001f]/.test(inputs[i + j]!)]).toEqual([400, expect.any(String), true]);
      });
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(500);
    // none of them got anyone in
    expect([...verdicts.keys()]).toEqual(['not-a-ticket']);
    // …and the real code still works afterwards
    expect((await scan(code)).body.checkin.verdict).toBe('admitted');
  });

  it('admits a ticket exactly once when 10 devices scan it at the same moment', async () => {
    const { tickets } = await booked(soon, ['B4']);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => scan(tickets[0].code, { deviceId: `door-${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const verdicts = answers.map((a) => a.body.checkin.verdict);
    expect(verdicts.filter((v) => v === 'admitted')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'already-admitted')).toHaveLength(9);
    const winner = `door-${verdicts.indexOf('admitted')}`;
    for (const a of answers.filter((x) => x.body.checkin.verdict !== 'admitted')) expect(a.body.checkin.admitted.deviceId).toBe(winner);
    expect((await stack.db.pool('booking').query('SELECT count(*)::int AS n FROM admissions WHERE ticket_id = $1', [tickets[0].id])).rows[0].n).toBe(1);
  });

  it('counts a journal uploaded twice once, and flags the ticket two offline devices let in', async () => {
    const showtimeId = (await scheduleShowtime(stack, admin, { startsInMinutes: 45 })).showtimeId;
    const { tickets } = await booked(showtimeId, ['A1', 'A2', 'A3']);
    const at = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    // device x let in all three; device y, offline too, let A1 in again, then refused its own repeat
    const journalX = tickets.map((t, i) => ({ code: t.code, deviceId: 'x', scanId: `x-${showtimeId}-${i}`, scannedAt: at(60 - i), offline: true, localVerdict: 'admitted' }));
    const journalY = [
      { code: tickets[0].code, deviceId: 'y', scanId: `y-${showtimeId}-0`, scannedAt: at(30), offline: true, localVerdict: 'admitted' },
      { code: tickets[0].code, deviceId: 'y', scanId: `y-${showtimeId}-1`, scannedAt: at(20), offline: true, localVerdict: 'already-admitted' },
    ];
    const upload = async (journal: object[]) => {
      const out = [];
      for (const entry of journal) out.push((await stack.api('POST', '/checkins', { token: door, body: entry })).body.checkin);
      return out;
    };
    const x1 = await upload(journalX);
    expect(x1.map((c) => c.verdict)).toEqual(['admitted', 'admitted', 'admitted']);
    const y1 = await upload(journalY);
    expect(y1.map((c) => [c.verdict, c.conflict ?? false])).toEqual([['already-admitted', true], ['already-admitted', false]]);
    // both journals again: the same answers, replayed, nothing counted twice
    const again = [...(await upload(journalX)), ...(await upload(journalY))];
    expect(again.map((c) => [c.verdict, c.replayed])).toEqual([...x1, ...y1].map((c) => [c.verdict, true]));
    const report = (await stack.api('GET', `/showtimes/${showtimeId}/checkins`, { token: door })).body;
    expect(report.counts).toEqual({ tickets: 3, admitted: 3, scans: 5, refused: 2, conflicts: 1 });
    expect(report.conflicts).toEqual([expect.objectContaining({ ticketId: tickets[0].id, seat: 'A1', deviceId: 'y', firstDeviceId: 'x' })]);
    expect((await stack.api('GET', `/showtimes/${showtimeId}/checkins`, { token: admin })).status).toBe(200);
  });

  it("refuses a cancelled booking's ticket online, and offline once the manifest is refreshed", async () => {
    const { tickets, booking, customer } = await booked(soon, ['C1']);
    const manifestBefore = (await stack.api('GET', `/showtimes/${soon}/door-manifest`, { token: door })).body.manifest;
    expect(manifestBefore.tickets.map((t: any) => t.id)).toContain(tickets[0].id);
    const offline = (m: any) =>
      checkTicketAtDoor(tickets[0].code, { keys: m.keys, showtimeId: soon, now: Date.now() / 1000, isRevoked: (id) => m.revoked.includes(id) || !m.tickets.some((t: any) => t.id === id) }).verdict;
    expect(offline(manifestBefore)).toBe('valid');
    expect((await stack.api('POST', `/bookings/${booking.id}/cancel`, { token: customer.token })).status).toBe(200);
    expect((await scan(tickets[0].code, { showtimeId: soon })).body.checkin).toMatchObject({ verdict: 'revoked', reason: 'revoked: cancelled by the customer' });
    const manifest = (await stack.api('GET', `/showtimes/${soon}/door-manifest`, { token: door })).body.manifest;
    expect(manifest.revoked).toContain(tickets[0].id);
    expect(offline(manifest)).toBe('revoked');
    // the customer's page shows it revoked, without its code
    const shown = (await stack.api('GET', `/bookings/${booking.id}/tickets`, { token: customer.token })).body.tickets[0];
    expect(shown).toMatchObject({ status: 'revoked', code: null, qrSvg: null });
  });

  it('revokes every ticket of a showtime the cinema cancels', async () => {
    const showtimeId = (await scheduleShowtime(stack, admin, { startsInMinutes: 50 })).showtimeId;
    const { tickets, customer } = await booked(showtimeId, ['A1']);
    expect([200, 204]).toContain((await stack.api('DELETE', `/showtimes/${showtimeId}`, { token: admin })).status);
    await eventually(async () => ((await scan(tickets[0].code)).body.checkin.verdict === 'revoked' ? true : undefined), 20_000, 'the ticket revoked');
    await eventually(async () => ((await mails(customer.email)).some((m) => m.subject.startsWith('The cinema cancelled')) ? true : undefined), 20_000, 'the mail');
    const mail = (await mails(customer.email)).find((m) => m.subject.startsWith('The cinema cancelled'))!;
    expect(mail.body).toContain('is refunded');
  });

  it('refuses malformed requests with a 4xx that says what is wrong', async () => {
    const bad = await stack.api('POST', '/checkins', { token: door, body: { code: 'x', deviceId: 'a b', scanId: '', scannedAt: 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('scannedAt');
    expect((await stack.api('GET', `/showtimes/${randomUUID()}/door-manifest`, { token: door })).status).toBe(404);
  });
});

describe('mails', () => {
  it('sends booking confirmed (with the tickets), cancelled and refunded, and payment declined — once per fact, whatever the redeliveries', async () => {
    const { customer, booking, tickets, reference } = await booked(later, ['B1', 'B2']);
    await eventually(async () => ((await mails(customer.email)).some((m) => m.subject.includes(reference)) ? true : undefined), 20_000, 'the confirmation');
    const confirmation = (await mails(customer.email)).find((m) => m.subject.includes(reference))!;
    for (const t of tickets) expect(confirmation.body).toContain(t.code);
    expect(confirmation.body).toContain('B1');

    await stack.api('POST', `/bookings/${booking.id}/cancel`, { token: customer.token });
    await eventually(async () => ((await mails(customer.email)).some((m) => m.subject === `Booking ${reference} cancelled and refunded`) ? true : undefined), 20_000, 'the cancellation');

    const declined = await buy(stack.api, customer.token, later, ['C8'], '4000000000000002');
    expect(declined.pay!.body.outcome).toBe('failed');
    await eventually(async () => ((await mails(customer.email)).some((m) => m.subject === 'Your payment was declined') ? true : undefined), 20_000, 'the decline');

    // every event that made a mail delivered again, twice
    const events: Envelope[] = [
      ...(await stack.db.pool('booking').query(`SELECT envelope FROM outbox WHERE envelope->'data'->>'userId' = $1`, [customer.user.id])).rows.map((r) => r.envelope),
      ...(await stack.db.pool('payment').query(`SELECT envelope FROM outbox WHERE event_type = 'payment.failed' AND envelope->'data'->>'userId' = $1`, [customer.user.id])).rows.map((r) => r.envelope),
    ];
    expect(events.map((e) => e.type).sort()).toEqual(['booking.cancelled', 'booking.confirmed', 'payment.failed']);
    for (const e of [...events, ...events]) await stack.bus!.publish(stack.signed(e));
    await eventually(
      async () => ((await stack.db.pool('auth').query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'auth-mails' AND event_id = ANY($1::uuid[])`, [events.map((e) => e.id)])).rows[0].n === 3 ? true : undefined),
      20_000,
      'the inbox',
    );
    await new Promise((r) => setTimeout(r, 2000)); // the redeliveries' time to be handled (and change nothing)
    const all = await mails(customer.email);
    const subjects = all.map((m) => m.subject).filter((s) => s !== 'Welcome to the cinema');
    expect(subjects).toHaveLength(3);
    expect(subjects).toEqual(expect.arrayContaining([`Booking ${reference} cancelled and refunded`, 'Your payment was declined', confirmation.subject]));
    expect(new Set(all.filter((m) => m.fact_key).map((m) => m.fact_key)).size).toBe(3);
  });
});
