// Best available, the single-seat rule and the per-customer cap, over the real gateway: the
// server picks seats side by side nearest the hall's focal point under 50 racing customers
// and sells each seat once; the rule refuses a hold that strands a seat (row end, aisle,
// between two taken seats), names it and suggests other seats, allows it when no other
// choice exists, and holds when two holds race; the cap counts holds across requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, signUpAdmin, type TestStack } from '../support/stack';
import { scheduleShowtime } from '../support/flow';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({}, { events: true });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await stack?.stop();
});

const s = (n: number) => Array(n).fill('standard');
const labels = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));

async function customers(n: number) {
  const out: Awaited<ReturnType<typeof signUp>>[] = [];
  for (let i = 0; i < n; i += 25) out.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => signUp(stack.api)))));
  return out;
}

const hold = (token: string, body: Record<string, unknown>) => stack.api('POST', '/cart/holds', { token, body });
const best = (token: string, showtimeId: string, count: number, extra: Record<string, unknown> = {}) => hold(token, { showtimeId, count, ...extra });
const strict = async (showtimeId: string) => expect((await stack.api('PUT', `/showtimes/${showtimeId}/seating-rules`, { token: admin, body: { noSingleSeats: true } })).status).toBe(200);

/** The seats of a layout's rows as the server numbers them, with their grid columns. */
function places(layout: { rows: { label: string; seats: (string | null)[] }[] }) {
  const out = new Map<string, { row: string; position: number }>();
  for (const row of layout.rows) {
    let n = 0;
    row.seats.forEach((c, position) => c !== null && out.set(`${row.label}${++n}`, { row: row.label, position }));
  }
  return out;
}
const adjacent = (seats: string[], at: ReturnType<typeof places>) => {
  const p = seats.map((id) => at.get(id)!).sort((a, b) => a.position - b.position);
  return p.every((x) => x.row === p[0].row) && p.every((x, i) => i === 0 || x.position === p[i - 1].position + 1);
};

describe('best available', () => {
  it('holds seats side by side nearest the centre of the screen row, or the focal point the hall sets', async () => {
    const [alice, bob] = await customers(2);
    // the flow's hall: rows A-C of 4 + aisle + 4; the screen row's centre is the aisle
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const r = await best(alice.token, showtimeId, 2);
    expect(r.status).toBe(201);
    expect(r.body.held).toEqual({ seats: ['A3', 'A4'], together: true });
    expect(r.body.cart.showtimes[0].seats.map((x: any) => x.seatId)).toEqual(['A3', 'A4']);
    const map = await stack.api('GET', `/showtimes/${showtimeId}/availability`, { token: alice.token });
    expect(map.body.mine.map((m: any) => m.seatId)).toEqual(['A3', 'A4']);

    const focused = { categories: { standard: 900 }, rows: labels(6).map((label) => ({ label, seats: s(10) })), focalPoint: { row: 'D', column: 5.5 } };
    const hall = await scheduleShowtime(stack, admin, { layout: focused });
    expect((await best(bob.token, hall.showtimeId, 4)).body.held).toEqual({ seats: ['D4', 'D5', 'D6', 'D7'], together: true });
    expect((await best(bob.token, hall.showtimeId, 2)).body.held).toEqual({ seats: ['C5', 'C6'], together: true });
  });

  it('keeps to a category or accessible places, and says how many are left when too few are', async () => {
    const [alice] = await customers(1);
    const layout = {
      categories: { standard: 900, premium: 1500 },
      rows: [
        { label: 'A', seats: ['standard', 'standard', { category: 'standard', accessible: true }, { category: 'standard', accessible: true }, 'standard'] },
        { label: 'B', seats: ['premium', 'premium', 'premium', null, 'premium'] },
      ],
    };
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    expect((await best(alice.token, showtimeId, 2, { accessible: true })).body.held).toEqual({ seats: ['A3', 'A4'], together: true });
    const premium = await best(alice.token, showtimeId, 4, { category: 'premium' });
    expect(premium.status).toBe(201);
    expect(premium.body.held.together).toBe(false);
    expect(premium.body.held.seats.sort()).toEqual(['B1', 'B2', 'B3', 'B4']);
    const none = await best(alice.token, showtimeId, 4, { category: 'standard' });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toMatch(/Only 3 standard seats are left/);
    expect(none.body.error.details).toEqual({ seatsLeft: 3, count: 4 });
  });

  it('50 customers asking for 4 seats at once: every seat sold once, each four side by side', async () => {
    // 10 rows of five blocks of four between aisles: room for exactly 50 fours
    const block = ['standard', 'standard', 'standard', 'standard', null];
    const layout = { categories: { standard: 900 }, rows: labels(10).map((label) => ({ label, seats: [...block, ...block, ...block, ...block, ...block.slice(0, 4)] })) };
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    const at = places(layout);
    const people = await customers(51);
    const answers = await Promise.all(people.slice(0, 50).map((p) => best(p.token, showtimeId, 4)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const all = answers.flatMap((a) => a.body.held.seats as string[]);
    expect(new Set(all).size).toBe(200);
    for (const a of answers) {
      expect(a.body.held.together).toBe(true);
      expect(adjacent(a.body.held.seats, at), a.body.held.seats.join(' ')).toBe(true);
    }
    const { rows } = await stack.db.pool('booking').query(`SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS holders FROM seat_claims WHERE showtime_id = $1 AND status = 'held'`, [showtimeId]);
    expect(rows[0]).toEqual({ n: 200, holders: 50 });
    const late = await best(people[50].token, showtimeId, 4);
    expect(late.status).toBe(409);
    expect(late.body.error.details).toEqual({ seatsLeft: 0, count: 4 });
  }, 120_000);

  it('racing for more than the hall has: four side by side while any are, then the nearest seats, then 409', async () => {
    const layout = { categories: { standard: 900 }, rows: labels(10).map((label) => ({ label, seats: s(10) })) };
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    const at = places(layout);
    const people = await customers(30);
    const answers = await Promise.all(people.map((p) => best(p.token, showtimeId, 4)));
    const won = answers.filter((a) => a.status === 201);
    expect(won.length).toBe(25); // 100 seats, four each
    for (const a of answers.filter((a) => a.status !== 201)) expect(a.body.error.details).toEqual({ seatsLeft: 0, count: 4 });
    const all = won.flatMap((a) => a.body.held.seats as string[]);
    expect(new Set(all).size).toBe(100);
    // each row's four nearest the centre (seats 4-7) leave three on each side: no other four
    // side by side remain, so exactly those ten are together and the rest are the nearest singles
    const together = won.filter((a) => a.body.held.together).map((a) => a.body.held.seats as string[]);
    for (const seats of together) expect(adjacent(seats, at)).toBe(true);
    expect(together.map((seats) => seats.join(' ')).sort()).toEqual(labels(10).map((r) => [4, 5, 6, 7].map((n) => `${r}${n}`).join(' ')));
  }, 120_000);
});

describe('no single seats left alone', () => {
  // row A: six seats, an aisle, three; row B: three seats only; rows C-G: seven each
  const layout = {
    categories: { standard: 900 },
    rows: [{ label: 'A', seats: [...s(6), null, ...s(3)] }, { label: 'B', seats: s(3) }, ...['C', 'D', 'E', 'F', 'G'].map((label) => ({ label, seats: s(7) }))],
  };

  it('is off by default: a hold may leave a seat alone', async () => {
    const [alice] = await customers(1);
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    expect((await hold(alice.token, { showtimeId, seats: ['A2', 'A3'] })).status).toBe(201);
  });

  it('refuses a hold that strands a seat at the row end, beside an aisle or between taken seats, naming it and suggesting others', async () => {
    const [alice, bob] = await customers(2);
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    const settings = await stack.api('PUT', `/showtimes/${showtimeId}/seating-rules`, { token: admin, body: { noSingleSeats: true } });
    expect(settings.body).toEqual({ showtimeId, noSingleSeats: true, isDefault: false });

    const rowEnd = await hold(alice.token, { showtimeId, seats: ['A2', 'A3'] });
    expect(rowEnd.status).toBe(409);
    expect(rowEnd.body.error.message).toMatch(/leave seat A1 alone/);
    expect(rowEnd.body.error.details).toEqual({ strandedSeats: ['A1'], suggestedSeats: ['A1', 'A2'] });

    const aisle = await hold(alice.token, { showtimeId, seats: ['A4', 'A5'] });
    expect(aisle.status).toBe(409);
    expect(aisle.body.error.details).toEqual({ strandedSeats: ['A6'], suggestedSeats: ['A3', 'A4'] });

    expect((await hold(bob.token, { showtimeId, seats: ['C1'] })).status).toBe(201);
    // a seat someone else has is refused as taken, whatever else the hold would do
    expect((await hold(alice.token, { showtimeId, seats: ['C1', 'C3'] })).body.error.details).toEqual({ takenSeats: ['C1'] });
    const between = await hold(alice.token, { showtimeId, seats: ['C3', 'C4'] });
    expect(between.status).toBe(409);
    expect(between.body.error.details.strandedSeats).toEqual(['C2']);
    // seats of other rows stay in the suggestion; only the row in question changes
    const mixed = await hold(alice.token, { showtimeId, seats: ['D1', 'D2', 'C3', 'C4'] });
    expect(mixed.body.error.details).toEqual({ strandedSeats: ['C2'], suggestedSeats: ['D1', 'D2', 'C2', 'C3'] });
    // the suggestion is a hold that goes through
    expect((await hold(alice.token, { showtimeId, seats: between.body.error.details.suggestedSeats })).status).toBe(201);
    const map = await stack.api('GET', `/showtimes/${showtimeId}/availability`);
    expect(map.body.held).toEqual(['C1', 'C2', 'C3']);
  });

  it('allows a hold that strands a seat when no choice of as many seats in that row avoids it', async () => {
    const [alice] = await customers(1);
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    await strict(showtimeId);
    // row B has three seats: any two leave one alone
    expect((await hold(alice.token, { showtimeId, seats: ['B1', 'B2'] })).status).toBe(201);
    // row A's three beyond the aisle: the six on the other side give a choice, so it is refused
    expect((await hold(alice.token, { showtimeId, seats: ['A8', 'A9'] })).body.error.details).toEqual({ strandedSeats: ['A7'], suggestedSeats: ['A5', 'A6'] });
  });

  it('best available strands nobody where it can help it', async () => {
    const [alice, bob] = await customers(2);
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout: { categories: { standard: 900 }, rows: [{ label: 'A', seats: s(6) }] } });
    await strict(showtimeId);
    expect((await hold(bob.token, { showtimeId, seats: ['A1'] })).status).toBe(201);
    // nearest the centre would be A3-A4, leaving A2 alone; A2-A3 leaves nobody alone
    expect((await best(alice.token, showtimeId, 2)).body.held).toEqual({ seats: ['A2', 'A3'], together: true });
    // three left (A4-A6), two wanted: every choice leaves one, so the rule gives way
    expect((await best(alice.token, showtimeId, 2)).status).toBe(201);
  });

  it('two holds racing cannot together strand a seat: one of them is refused', async () => {
    const people = await customers(10);
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    await strict(showtimeId);
    // alone, seats 1-2 and seats 4-5 of a row of seven are both fine; together they strand seat 3
    const rows = ['C', 'D', 'E', 'F', 'G'];
    const answers = await Promise.all(
      rows.flatMap((row, i) => [hold(people[2 * i].token, { showtimeId, seats: [`${row}1`, `${row}2`] }), hold(people[2 * i + 1].token, { showtimeId, seats: [`${row}4`, `${row}5`] })]),
    );
    rows.forEach((row, i) => {
      const pair = [answers[2 * i], answers[2 * i + 1]];
      expect(pair.map((a) => a.status).sort(), row).toEqual([201, 409]);
      expect(pair.find((a) => a.status === 409)!.body.error.details.strandedSeats.length).toBeGreaterThan(0);
    });
    const map = await stack.api('GET', `/showtimes/${showtimeId}/availability`);
    for (const row of rows) {
      const taken = [1, 2, 3, 4, 5, 6, 7].map((n) => map.body.held.includes(`${row}${n}`));
      // no free seat with a taken seat or the row's end on both sides
      taken.forEach((t, i) => expect(!t && (i === 0 || taken[i - 1]) && (i === 6 || taken[i + 1]), `${row}${i + 1} alone`).toBe(false));
    }
  });
});

describe('the per-customer cap', () => {
  const layout = { categories: { standard: 900 }, rows: labels(4).map((label) => ({ label, seats: s(8) })) };

  it('counts live holds of a showtime across requests; released and expired holds do not count', async () => {
    const [alice] = await customers(1);
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    expect((await hold(alice.token, { showtimeId, seats: ['A1', 'A2', 'A3', 'A4'] })).status).toBe(201);
    expect((await best(alice.token, showtimeId, 4)).status).toBe(201);
    expect((await hold(alice.token, { showtimeId, seats: ['D1', 'D2'] })).status).toBe(201);
    const eleventh = await hold(alice.token, { showtimeId, seats: ['D3'] });
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.error.message).toBe('You can hold at most 10 seats of a showtime, and you hold 10 already');
    expect(eleventh.body.error.details).toEqual({ maxHeldSeats: 10, heldSeats: 10 });
    expect((await best(alice.token, showtimeId, 1)).body.error.details).toEqual({ maxHeldSeats: 10, heldSeats: 10 });
    // asking again for seats already held adds nothing
    expect((await hold(alice.token, { showtimeId, seats: ['A1'] })).status).toBe(201);

    expect((await stack.api('DELETE', `/cart/holds/${showtimeId}/A1`, { token: alice.token })).status).toBe(204);
    expect((await hold(alice.token, { showtimeId, seats: ['D3'] })).status).toBe(201);
    // a hold that ran out (its expiry moved to the past, as time would) frees its place under the cap
    await stack.db.pool('booking').query(`UPDATE seat_claims SET expires_at = now() - interval '1 second' WHERE showtime_id = $1 AND seat_id = 'D3'`, [showtimeId]);
    expect((await hold(alice.token, { showtimeId, seats: ['D4'] })).status).toBe(201);
    // another showtime has a cap of its own
    const other = await scheduleShowtime(stack, admin, { layout });
    expect((await best(alice.token, other.showtimeId, 4)).status).toBe(201);
  });

  it('two requests of one customer at once cannot both pass it', async () => {
    const [alice] = await customers(1);
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout });
    expect((await hold(alice.token, { showtimeId, seats: ['A1', 'A2', 'A3', 'A4', 'A5'] })).status).toBe(201);
    // (the back row's seats, which best available does not pick while row B is free: whichever
    // goes first, the other would take five more)
    const [one, two] = await Promise.all([hold(alice.token, { showtimeId, seats: ['D1', 'D2', 'D3', 'D4', 'D5'] }), best(alice.token, showtimeId, 5)]);
    expect([one.status, two.status].sort()).toEqual([201, 409]);
    const { rows } = await stack.db.pool('booking').query(`SELECT count(*)::int AS n FROM seat_claims WHERE showtime_id = $1 AND status = 'held'`, [showtimeId]);
    expect(rows[0].n).toBe(10);
  });
});

describe('bad input', () => {
  it('names the field: count 0, 11 or not a number, an unknown category, both forms or neither', async () => {
    const [alice] = await customers(1);
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const refused = async (body: Record<string, unknown>, status = 400) => {
      const r = await hold(alice.token, { showtimeId, ...body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      return r.body.error;
    };
    expect((await refused({ count: 0 })).details).toEqual([{ path: 'count', message: 'count must be at least 1' }]);
    expect((await refused({ count: 11 })).details).toEqual([{ path: 'count', message: 'count must be at most 10' }]);
    expect((await refused({ count: 'four' })).details[0].path).toBe('count');
    expect((await refused({ count: 2.5 })).details[0].path).toBe('count');
    const category = await refused({ count: 2, category: 'balcony' });
    expect(category.details).toEqual([{ path: 'category', message: 'this showtime has no "balcony" seats; it has premium, standard' }]);
    expect((await refused({ count: 2, seats: ['A1'] })).details[0].path).toBe('seats');
    expect((await refused({})).details[0].path).toBe('seats');
    expect((await refused({ seats: ['A1'], category: 'standard' })).details[0].path).toBe('category');
    expect((await refused({ count: 2, accessible: 'yes' })).details[0].path).toBe('accessible');
    // and nothing was held by any of it
    expect((await stack.api('GET', `/showtimes/${showtimeId}/availability`)).body.held).toEqual([]);
  });

  it('a hall focal point must be in the hall, and only operators set the rule', async () => {
    const [alice] = await customers(1);
    const bad = await stack.api('POST', '/halls', { token: admin, body: { name: `Bad focal ${Date.now()}`, layout: { categories: { standard: 1 }, rows: [{ label: 'A', seats: s(4) }], focalPoint: { row: 'Z' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'layout.focalPoint.row', message: 'there is no row Z' }]);
    const { showtimeId } = await scheduleShowtime(stack, admin);
    expect((await stack.api('PUT', `/showtimes/${showtimeId}/seating-rules`, { token: alice.token, body: { noSingleSeats: true } })).status).toBe(403);
    expect((await stack.api('PUT', `/showtimes/${showtimeId}/seating-rules`, { token: admin, body: { noSingleSeats: 'on' } })).status).toBe(400);
    expect((await stack.api('PUT', '/showtimes/00000000-0000-4000-8000-000000000000/seating-rules', { token: admin, body: { noSingleSeats: true } })).status).toBe(404);
    expect((await stack.api('PUT', `/showtimes/${showtimeId}/seating-rules`, { token: admin, body: { noSingleSeats: null } })).body).toEqual({ showtimeId, noSingleSeats: false, isDefault: true });
  });
});
