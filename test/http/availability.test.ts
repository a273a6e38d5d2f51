// A showtime's availability over the real gateway: exact (from booking's claims) under a race
// of 100 holders, a 304 while nothing changed, every change and every expiry shown, blocked
// seats nobody can hold, and `mine` only for the caller's own holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { scheduleShowtime, buy, bookingFor } from '../support/flow';

const HOLD_SECONDS = 10;
let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ HOLD_SECONDS: String(HOLD_SECONDS), HOLD_CAP_SECONDS: '60' }, { events: true });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await stack?.stop();
});

type Availability = { showtimeId: string; version: string; bookable: boolean; held: string[]; sold: string[]; blocked: string[]; mine: { seatId: string; expiresAt: string }[] };

const availability = async (showtimeId: string, token?: string, etag?: string) =>
  stack.api('GET', `/showtimes/${showtimeId}/availability`, { token, headers: etag ? { 'if-none-match': etag } : {} });

const counterOf = (version: string) => Number(version.split('.')[0]);

async function customers(n: number) {
  const out: Awaited<ReturnType<typeof signUp>>[] = [];
  for (let i = 0; i < n; i += 25) out.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => signUp(stack.api)))));
  return out;
}

const HALL_60 = { categories: { standard: 900 }, rows: ['A', 'B', 'C', 'D', 'E', 'F'].map((label) => ({ label, seats: Array(10).fill('standard') })) };

describe('availability', () => {
  it('lists holds, mine with its expiry, and answers 304 until something changes', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const [alice, bob] = await customers(2);
    const empty = await availability(showtimeId);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ showtimeId, bookable: true, held: [], sold: [], blocked: [], mine: [] });
    expect(empty.headers.get('etag')).toBe(`"${empty.body.version}"`);
    expect(empty.headers.get('cache-control')).toBe('private, no-cache');

    const unchanged = await availability(showtimeId, undefined, empty.headers.get('etag')!);
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBeUndefined();

    const hold = await stack.api('POST', '/cart/holds', { token: alice.token, body: { showtimeId, seats: ['A2', 'A3'] } });
    expect(hold.status).toBe(201);
    const changed = await availability(showtimeId, undefined, empty.headers.get('etag')!);
    expect(changed.status).toBe(200);
    expect(changed.body.held).toEqual(['A2', 'A3']);
    expect(changed.body.mine).toEqual([]);

    const hers = await availability(showtimeId, alice.token);
    expect(hers.body.held).toEqual([]);
    expect(hers.body.mine).toEqual([
      { seatId: 'A2', expiresAt: hold.body.cart.showtimes[0].seats[0].expiresAt },
      { seatId: 'A3', expiresAt: hold.body.cart.showtimes[0].seats[1].expiresAt },
    ]);
    // her view and everyone else's are different representations of one state
    expect(hers.headers.get('etag')).not.toBe(changed.headers.get('etag'));
    expect(counterOf(hers.body.version)).toBe(counterOf(changed.body.version));
    expect((await availability(showtimeId, bob.token, hers.headers.get('etag')!)).status).toBe(200);
    expect((await availability(showtimeId, alice.token, hers.headers.get('etag')!)).status).toBe(304);

    // a release and a renewal are changes too
    expect((await stack.api('DELETE', `/cart/holds/${showtimeId}/A3`, { token: alice.token })).status).toBe(204);
    const released = await availability(showtimeId, alice.token, hers.headers.get('etag')!);
    expect(released.status).toBe(200);
    expect(released.body.mine.map((m: any) => m.seatId)).toEqual(['A2']);
    expect((await stack.api('POST', '/cart/renew', { token: alice.token })).status).toBe(200);
    const renewed = await availability(showtimeId, alice.token, released.headers.get('etag')!);
    expect(renewed.status).toBe(200);
    expect(counterOf(renewed.body.version)).toBeGreaterThan(counterOf(released.body.version));
  });

  it('knows who asks only from a valid token: none is anonymous, a bad one is refused', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const bad = await availability(showtimeId, 'not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('unauthorized');
    expect((await availability('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await availability('00000000-0000-4000-8000-000000000000', undefined, '"0.0.1.anyone"')).status).toBe(404);
  });

  it('shows a hold running out with no write at all, each expiry in turn', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const [alice, bob] = await customers(2);
    expect((await stack.api('POST', '/cart/holds', { token: alice.token, body: { showtimeId, seats: ['B1'] } })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 2000)); // so the two holds run out at different times
    expect((await stack.api('POST', '/cart/holds', { token: bob.token, body: { showtimeId, seats: ['B2'] } })).status).toBe(201);
    const versionRow = async () => (await stack.db.pool('booking').query('SELECT counter, next_expiry FROM showtime_claim_versions WHERE showtime_id = $1', [showtimeId])).rows[0];
    const before = await versionRow();
    const both = await availability(showtimeId);
    expect(both.body.held).toEqual(['B1', 'B2']);

    const first = await eventually(async () => {
      const r = await availability(showtimeId, undefined, both.headers.get('etag')!);
      return r.status === 200 ? r : undefined;
    }, 20_000, 'the first hold to run out');
    expect(first.body.held).toEqual(['B2']);
    const second = await eventually(async () => {
      const r = await availability(showtimeId, undefined, first.headers.get('etag')!);
      return r.status === 200 ? r : undefined;
    }, 20_000, 'the second hold to run out');
    expect(second.body.held).toEqual([]);
    // nothing wrote meanwhile: the counter is where the last hold left it
    expect(await versionRow()).toEqual(before);
    expect(counterOf(second.body.version)).toBe(counterOf(both.body.version));
    expect((await availability(showtimeId, undefined, second.headers.get('etag')!)).status).toBe(304);
    // and the seat is free for the taking
    expect((await stack.api('POST', '/cart/holds', { token: bob.token, body: { showtimeId, seats: ['B1'] } })).status).toBe(201);
  }, 60_000);

  it('blocked seats: only an operator sets them, nobody can hold them, a held seat is not taken away', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const [alice] = await customers(1);
    const path = `/showtimes/${showtimeId}/blocked-seats`;
    expect((await stack.api('PUT', path, { token: alice.token, body: { seats: ['C1'] } })).status).toBe(403);
    expect((await stack.api('PUT', path, { body: { seats: ['C1'] } })).status).toBe(401);
    const set = await stack.api('PUT', path, { token: admin, body: { seats: ['C1', 'C2'] } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ showtimeId, blocked: ['C1', 'C2'] });
    expect((await availability(showtimeId)).body.blocked).toEqual(['C1', 'C2']);

    const refused = await stack.api('POST', '/cart/holds', { token: alice.token, body: { showtimeId, seats: ['C2', 'C3'] } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.takenSeats).toEqual(['C2']);
    expect((await stack.api('POST', '/cart/holds', { token: alice.token, body: { showtimeId, seats: ['C3'] } })).status).toBe(201);

    const heldSeat = await stack.api('PUT', path, { token: admin, body: { seats: ['C1', 'C3'] } });
    expect(heldSeat.status).toBe(409);
    expect(heldSeat.body.error.details.takenSeats).toEqual(['C3']);
    expect((await availability(showtimeId)).body.blocked).toEqual(['C1', 'C2']); // all or nothing
    expect((await stack.api('PUT', path, { token: admin, body: { seats: ['C9', 'Z1'] } })).status).toBe(422);

    expect((await stack.api('PUT', path, { token: admin, body: { seats: ['C2'] } })).body.blocked).toEqual(['C2']);
    const after = await availability(showtimeId, alice.token);
    expect(after.body.blocked).toEqual(['C2']);
    expect(after.body.mine.map((m: any) => m.seatId)).toEqual(['C3']);
    expect((await stack.api('POST', '/cart/holds', { token: alice.token, body: { showtimeId, seats: ['C1'] } })).status).toBe(201);
  });

  it('is exact under 100 concurrent holders: every map read during the race is a state that existed', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout: HALL_60 });
    const seats = HALL_60.rows.flatMap((r) => r.seats.map((_, i) => `${r.label}${i + 1}`));
    const holders = await customers(100);
    const readers = [undefined, holders[0], holders[1]];
    const won = new Map<string, Set<string>>(holders.map((h) => [h.user.id, new Set()]));
    const everWon = new Set<string>();
    const reads: { who: number; at: number; body: Availability }[] = [];
    let racing = true;

    const poll = async (who: number) => {
      while (racing) {
        const r = await availability(showtimeId, readers[who]?.token);
        expect(r.status).toBe(200);
        reads.push({ who, at: Date.now(), body: r.body });
      }
    };
    const hold = async (h: (typeof holders)[number], i: number) => {
      // two seats each, drawn so that most seats are wanted by three holders or more
      const wanted = [seats[(i * 7) % 60], seats[(i * 13 + 5) % 60]];
      const r = await stack.api('POST', '/cart/holds', { token: h.token, body: { showtimeId, seats: wanted } });
      if (r.status === 201) for (const s of wanted) (won.get(h.user.id)!.add(s), everWon.add(s));
      else expect(r.status).toBe(409);
      // the first few winners buy at once, while the maps are read: sold must never turn back into free
      if (r.status === 201 && purchases.length < 5) {
        wanted.forEach((s) => soldSeats.add(s));
        purchases.push(buy(stack.api, h.token, showtimeId, wanted).then((b) => bookingFor(stack, b.paymentId!)));
      }
      return r.status;
    };
    const purchases: Promise<unknown>[] = [];
    const soldSeats = new Set<string>();
    const pollers = readers.map((_, who) => poll(who));
    const statuses = await Promise.all(holders.map(hold));
    await Promise.all(purchases);
    await eventually(async () => (reads.some((r) => r.body.sold.length === soldSeats.size) ? true : undefined), 20_000, 'a read showing every sale');
    racing = false;
    await Promise.all(pollers);

    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(10);
    expect(reads.length).toBeGreaterThan(20);
    const byVersion = new Map<string, string>();
    const seenSold = new Map<number, Set<string>>();
    let lastCounter = new Map<number, number>();
    for (const { who, body } of reads.sort((a, b) => a.at - b.at)) {
      const listed = [...body.held, ...body.sold, ...body.blocked, ...body.mine.map((m) => m.seatId)];
      // one status per seat, and nothing held that nobody won
      expect(new Set(listed).size).toBe(listed.length);
      for (const s of [...body.held, ...body.mine.map((m) => m.seatId)]) expect(everWon.has(s), s).toBe(true);
      for (const s of body.sold) expect(soldSeats.has(s), `${s} sold`).toBe(true);
      // `mine` only ever names the reader's own seats
      const reader = readers[who];
      if (!reader) expect(body.mine).toEqual([]);
      else for (const m of body.mine) expect(won.get(reader.user.id)!.has(m.seatId), `${m.seatId} is not the reader's`).toBe(true);
      // a seat once sold stays sold on the reader's map
      const sold = seenSold.get(who) ?? new Set();
      for (const s of sold) expect(body.sold, `${s} was sold, then not`).toContain(s);
      seenSold.set(who, new Set(body.sold));
      // one version, one content (per viewer); versions only move forward
      const content = JSON.stringify([body.held, body.sold, body.blocked, body.mine]);
      if (byVersion.has(body.version)) expect(content).toBe(byVersion.get(body.version));
      byVersion.set(body.version, content);
      expect(counterOf(body.version)).toBeGreaterThanOrEqual(lastCounter.get(who) ?? 0);
      lastCounter.set(who, counterOf(body.version));
    }

    // at rest, the map is the arbiter's state exactly
    const final = (await availability(showtimeId)).body as Availability & { asOf: string };
    const { rows } = await stack.db.pool('booking').query(
      `SELECT seat_id, status FROM seat_claims WHERE showtime_id = $1 AND (status <> 'held' OR expires_at > $2) ORDER BY seat_id`,
      [showtimeId, final.asOf],
    );
    expect(final.sold).toEqual(rows.filter((r) => r.status === 'sold').map((r) => r.seat_id));
    expect(final.held).toEqual(rows.filter((r) => r.status === 'held').map((r) => r.seat_id));
    expect(final.sold.sort()).toEqual([...soldSeats].sort());
  }, 180_000);
});

describe('layout', () => {
  it('is the hall with its prices and no status, cacheable and revalidated with a 304', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const r = await stack.api('GET', `/showtimes/${showtimeId}/layout`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=300');
    expect(r.body.showtime.id).toBe(showtimeId);
    expect(r.body.layout.width).toBe(9);
    expect(r.body.layout.categories).toEqual([
      { name: 'standard', price: 1000 },
      { name: 'premium', price: 1500 },
    ]);
    expect(r.body.layout.rows[0].cells[4]).toBeNull();
    expect(r.body.layout.rows[2].cells[5]).toEqual({ seatId: 'C5', number: 5, category: 'premium', accessible: false, price: 1500 });
    expect(JSON.stringify(r.body)).not.toMatch(/status"\s*:\s*"(available|held|sold)/);
    const again = await stack.api('GET', `/showtimes/${showtimeId}/layout`, { headers: { 'if-none-match': r.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});
