// Simulated customers and an operator, through the public HTTP API only, each with a seeded
// generator of its own. They retry as a real client does: on a network error or a 5xx, with
// backoff; a 4xx is an answer (a seat someone else took, a hold that ran out).
import { randomBytes } from 'node:crypto';
import type { Rng } from './prng';

export const CARDS = { success: '4242424242424242', declined: '4000000000000002', insufficient: '4000000000009995' } as const;

export interface Traffic {
  operations: Record<string, number>;
  /** every 5xx answered, with when */
  serverErrors: { at: number; status: number; method: string; path: string; answer?: string }[];
  networkErrors: number;
  retries: number;
}

export const newTraffic = (): Traffic => ({ operations: {}, serverErrors: [], networkErrors: 0, retries: 0 });

export interface Answer {
  status: number;
  body: any;
}

/** One request with the client's retries; `idempotent: false` tries once more only after a network error before an answer. */
export function client(baseUrl: string, traffic: Traffic) {
  return async function call(method: string, path: string, opts: { body?: unknown; token?: string } = {}): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      try {
        const headers: Record<string, string> = {};
        if (opts.body !== undefined) headers['content-type'] = 'application/json';
        if (opts.token) headers.authorization = `Bearer ${opts.token}`;
        const res = await fetch(baseUrl + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: AbortSignal.timeout(20_000) });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON */
        }
        if (res.status < 500) return { status: res.status, body };
        traffic.serverErrors.push({ at: started, status: res.status, method, path: path.replace(/[0-9a-f-]{36}/g, '{id}').replace(/tps_[0-9a-f]+/, '{session}'), answer: text.slice(0, 300) });
        if (attempt >= 8) return { status: res.status, body };
      } catch {
        traffic.networkErrors++;
        if (attempt >= 8) return { status: 0, body: undefined };
      }
      traffic.retries++;
      await new Promise((r) => setTimeout(r, Math.min(4_000, 250 * 2 ** attempt)));
    }
  };
}

export type Call = ReturnType<typeof client>;

export interface World {
  /** showtimes on sale: id and its seat ids */
  showtimes: { id: string; seats: string[] }[];
  customers: { userId: string; token: string }[];
}

const count = (t: Traffic, kind: string) => (t.operations[kind] = (t.operations[kind] ?? 0) + 1);

export async function signUpCustomer(call: Call): Promise<{ userId: string; token: string }> {
  const email = `soak-${randomBytes(6).toString('hex')}@example.test`;
  const password = 'correct horse battery';
  const reg = await call('POST', '/auth/register', { body: { email, password, name: 'Soak Customer' } });
  if (reg.status !== 201 && reg.status !== 409) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await call('POST', '/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { userId: login.body.user.id, token: login.body.token };
}

/** What a customer does next, by weight. */
const ACTIONS = [
  ['browse', 3],
  ['hold seats', 3],
  ['hold best available', 1],
  ['release', 1],
  ['renew', 1],
  ['walk away', 1],
  ['check out and pay', 3],
  ['cancel booking', 1],
] as const;
type Action = (typeof ACTIONS)[number][0];

function choose(r: Rng): Action {
  const total = ACTIONS.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [a, w] of ACTIONS) if ((x -= w) < 0) return a;
  return 'browse';
}

export async function runCustomer(call: Call, me: { token: string }, world: World, r: Rng, until: number, traffic: Traffic): Promise<void> {
  const token = me.token;
  while (Date.now() < until) {
    const action = choose(r);
    if (!world.showtimes.length) {
      await new Promise((res) => setTimeout(res, 200));
      continue;
    }
    const showtime = r.pick(world.showtimes);
    switch (action) {
      case 'browse': {
        count(traffic, 'browse movies');
        await call('GET', '/movies');
        await call('GET', '/showtimes');
        count(traffic, 'browse a seat map');
        await call('GET', `/showtimes/${showtime.id}/layout`);
        await call('GET', `/showtimes/${showtime.id}/availability`, { token });
        break;
      }
      case 'hold seats': {
        count(traffic, 'hold seats');
        const n = r.int(1, 3);
        const start = r.int(0, showtime.seats.length - n);
        await call('POST', '/cart/holds', { token, body: { showtimeId: showtime.id, seats: showtime.seats.slice(start, start + n) } });
        break;
      }
      case 'hold best available':
        count(traffic, 'hold best available');
        await call('POST', '/cart/holds', { token, body: { showtimeId: showtime.id, count: r.int(1, 4) } });
        break;
      case 'release': {
        const cart = await call('GET', '/cart', { token });
        const held: [string, string][] = (cart.body?.cart?.showtimes ?? []).flatMap((s: any) => s.seats.map((seat: any) => [s.showtimeId, seat.seatId]));
        if (!held.length) break;
        count(traffic, 'release a seat');
        const [st, seat] = r.pick(held);
        await call('DELETE', `/cart/holds/${st}/${seat}`, { token });
        break;
      }
      case 'renew':
        count(traffic, 'renew holds');
        await call('POST', '/cart/renew', { token });
        break;
      case 'walk away':
        // holds are left to run out (HOLD_SECONDS is short in a soak)
        count(traffic, 'walk away from holds');
        await new Promise((res) => setTimeout(res, r.int(500, 2_000)));
        break;
      case 'check out and pay':
        await checkOutAndPay(call, token, r, traffic);
        break;
      case 'cancel booking': {
        const mine = await call('GET', '/bookings?pageSize=100', { token });
        const confirmed: any[] = (mine.body?.items ?? []).filter((b: any) => b.status === 'confirmed');
        if (!confirmed.length) break;
        count(traffic, 'cancel a booking');
        await call('POST', `/bookings/${r.pick(confirmed).id}/cancel`, { token });
        break;
      }
    }
  }
}

async function checkOutAndPay(call: Call, token: string, r: Rng, traffic: Traffic): Promise<void> {
  const cart = await call('GET', '/cart', { token });
  const showtimes: any[] = cart.body?.cart?.showtimes ?? [];
  if (!showtimes.length) return;
  count(traffic, 'check out');
  const checkout = await call('POST', '/cart/checkout', { token, body: { showtimeId: r.pick(showtimes).showtimeId } });
  if (checkout.status !== 201) return;
  const checkoutId = checkout.body.checkout.id;
  const card = r.pick([CARDS.success, CARDS.success, CARDS.success, CARDS.declined, CARDS.insufficient]);
  const outcome = await pay(call, token, checkoutId, card, traffic);
  // a declined card: most customers try again with another
  if (outcome === 'failed' && r.chance(0.7)) {
    count(traffic, 'retry a declined payment');
    await pay(call, token, checkoutId, CARDS.success, traffic);
  }
}

async function pay(call: Call, token: string, checkoutId: string, card: string, traffic: Traffic): Promise<string | undefined> {
  const payment = await call('POST', '/payments', { token, body: { checkoutId } });
  if (payment.status !== 201 && payment.status !== 200) return undefined;
  const url = payment.body?.nextAction?.url;
  if (!url) return payment.body?.payment?.status;
  count(traffic, card === CARDS.success ? 'pay (card succeeds)' : card === CARDS.declined ? 'pay (card declined)' : 'pay (insufficient funds)');
  const paid = await call('POST', url, { body: { cardNumber: card } });
  return paid.body?.outcome;
}

let scheduled = 0;

/** A hall with a layout of its own, a movie, and a showtime in it some days ahead (each showtime at its own time, so none overlap). */
export async function scheduleShowtime(call: Call, admin: string, hallId: string, movieId: string): Promise<{ id: string; seats: string[] } | undefined> {
  const startsAt = new Date(Date.now() + 3 * 24 * 3_600_000 + scheduled++ * 4 * 3_600_000).toISOString();
  const st = await call('POST', '/showtimes', { token: admin, body: { movieId, hallId, startsAt } });
  if (st.status !== 201) return undefined;
  const layout = await call('GET', `/showtimes/${st.body.showtime.id}/layout`);
  const seats = (layout.body?.rows ?? layout.body?.layout?.rows ?? []).flatMap((row: any) => row.cells.filter(Boolean).map((c: any) => c.seatId));
  return { id: st.body.showtime.id, seats };
}

/** Now and then an operator cancels a showtime (its bookings are cancelled and refunded) and schedules another. */
export async function runOperator(call: Call, admin: string, hallId: string, movieId: string, world: World, r: Rng, until: number, traffic: Traffic, everyMs: [number, number]): Promise<void> {
  for (;;) {
    await new Promise((res) => setTimeout(res, r.int(...everyMs)));
    if (Date.now() >= until) return;
    if (!world.showtimes.length) continue;
    const victim = r.pick(world.showtimes);
    count(traffic, 'operator cancels a showtime');
    world.showtimes = world.showtimes.filter((s) => s !== victim);
    await call('DELETE', `/showtimes/${victim.id}`, { token: admin });
    const next = await scheduleShowtime(call, admin, hallId, movieId);
    if (next) world.showtimes.push(next);
  }
}
