// A whole purchase, end to end: hold a seat, check out, start the payment, pay on the test
// provider's page (the charge and its signed webhook), until booking has confirmed it.
// - Through the gateway: a test stack of its own (serverless-offline, the authorizer on the
//   signed-in routes, the event runner and RabbitMQ), each customer a signed-in account of
//   its own. The confirm step is the event pipeline: payment's outbox → relay → RabbitMQ →
//   runner → booking's consumer through the Lambda endpoint; the bench polls the booking.
// - In-process (the baseline): the same handlers imported and invoked here, on databases of
//   their own, with the authorizer's context as the gateway would pass it. Payment's call to
//   booking's checkout and the provider's webhook keep their HTTP hop (a Lambda invoke and the
//   provider's POST are network calls in the cloud too), but to a bare node:http server that
//   invokes the handler here instead of serverless-offline. The confirm step runs the relay's
//   own code (relayOutbox, signed) with a bus that hands payment.success to booking's consumer.
//   The rest of the work a purchase sets off runs here too, so that both ways do the same: the
//   ledger's record of payment.success, and booking's relay (the production one, woken by its
//   NOTIFY) handing booking.confirmed to every consumer bound to it (the ledger, the seat map,
//   the mails), each invoked here as the runner invokes it, while the next purchase goes on.
// Both with 1 and with BENCH_CUSTOMERS customers at a time, on a fresh showtime each round,
// taking turns after a warm-up round. Then where the difference goes: each step's p50 both
// ways, the database queries each step makes (counted with pg's query, in-process), the
// authorizer's session check, serverless-offline's overhead on a trivial route, and whether
// anything is bundled at request time. After each round, both ways wait (untimed) until the
// seat map, the ledger and the mails have caught up, so no round pays for the one before.
import { AsyncLocalStorage } from 'node:async_hooks';
import { httpEvent, lambdaContext } from './lib/lambda-event';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import amqp from 'amqplib';
import type { TestStack, TestDatabases } from '../test/support/stack';
import type { Envelope } from '../layers/events/envelope';
import { interleaved, median, percentile, printTable, roundName } from './lib/stats';
import { runBench, settles, within, type Checks } from './lib/checks';

// Settings the functions read when their modules load (booking's ticket keys derive from the
// token secret): set before the first of them is imported, and the gateway gets the same.
process.env.LOG_LEVEL = 'warn';
process.env.JWT_SECRET = randomBytes(32).toString('hex');
const { startTestStack, signUp, createTestDatabases, TEST_RABBITMQ_URL, WEBHOOK_SECRET, LEDGER_KEY } = await import('../test/support/stack');
const { ROOT } = await import('../infra/local/gateway');
const { databaseUrl } = await import('../layers/core/db');
const { freePort } = await import('../test/support/ports');
const { CONSUMERS, CONSUMER_QUEUES, consumerModule } = await import('../layers/contracts/consumers');
const { relaySigner } = await import('../layers/contracts/event-keys');
const { signingPublisher } = await import('../layers/events/signature');
const { relayOutbox, startOutboxRelay } = await import('../layers/events/outbox');
const { rabbitMqEventOf } = await import('../layers/events/aws');
const { scheduleBenchShowtime, SEAT_PRICE, expectAllDelivered, soldInCatalog, recordedInLedger, countOf } = await import('./lib/showtime');
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** Seats of a round's showtime: more than a round sells, or the round ends when they are gone. */
const SEATS = Number(process.env.BENCH_SEATS ?? 400);
/** Calls per round of the trivial route and of the authorizer. */
const PROBES = Number(process.env.BENCH_PROBES ?? 100);
const CARD = '4242424242424242';
const STEPS = ['hold', 'checkout', 'payment', 'pay', 'confirm'] as const;
type Step = (typeof STEPS)[number];
const STEP_NAMES: Record<Step, string> = {
  hold: 'hold the seat (POST /cart/holds)',
  checkout: 'check out (POST /cart/checkout)',
  payment: "start the payment (POST /payments; booking's checkout asked by invoke)",
  pay: "pay on the provider's page (charge + its signed webhook)",
  confirm: 'payment.success to the booking confirmed (the event pipeline)',
};

interface Purchase {
  seat: string;
  ms: Record<Step, number>;
  paymentId: string;
  amount: number;
}
interface Round {
  purchases: Purchase[];
  seconds: number;
  showtimeId: string;
}

/** How one way buys one seat for one customer: each step timed, its answers checked. */
type Buyer = (customer: number, showtimeId: string, seat: string, mark: (step: Step) => void) => Promise<{ paymentId: string; amount: number }>;

/** `customers` at a time buy one seat after another until SECONDS have passed or the seats are gone. */
async function purchaseRound(customers: number, seconds: number, showtimeId: string, seats: string[], buy: Buyer): Promise<Round> {
  const purchases: Purchase[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: customers }, async (_, customer) => {
      while (performance.now() - t0 < seconds * 1000 && next < seats.length) {
        const seat = seats[next++];
        const ms = {} as Record<Step, number>;
        let last = performance.now();
        const mark = (step: Step) => {
          const now = performance.now();
          ms[step] = now - last;
          last = now;
        };
        const { paymentId, amount } = await within(30_000, `the purchase of ${seat}`, buy(customer, showtimeId, seat, mark));
        purchases.push({ seat, ms, paymentId, amount });
      }
    }),
  );
  return { purchases, seconds: (performance.now() - t0) / 1000, showtimeId };
}

/** Polls booking until the payment's booking is there (the consumer writes it confirmed). */
async function confirmedBooking(booking: pg.Pool, paymentId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { rowCount } = await booking.query(`SELECT 1 FROM bookings WHERE payment_id = $1 AND status = 'confirmed'`, [paymentId]);
    if (rowCount) return;
    if (Date.now() > deadline) throw new Error(`no confirmed booking for payment ${paymentId} within 20 s`);
    await new Promise((r) => setTimeout(r, 3));
  }
}

/** Every round must end with a confirmed booking per purchase, each seat sold once, and payment's amounts matching. */
async function verify(checks: Checks, name: string, db: { booking: pg.Pool; payment: pg.Pool }, round: Round): Promise<void> {
  const n = round.purchases.length;
  const bookings = (
    await db.booking.query(
      `SELECT count(*)::int AS n, count(DISTINCT seat)::int AS seats, coalesce(sum(amount), 0)::int AS amount
         FROM (SELECT b.amount, unnest(b.seats) AS seat FROM bookings b WHERE b.showtime_id = $1 AND b.status = 'confirmed') s`,
      [round.showtimeId],
    )
  ).rows[0];
  const paid = (await db.payment.query(`SELECT count(*)::int AS n, coalesce(sum(amount), 0)::int AS amount FROM payments WHERE id = ANY($1::uuid[]) AND status = 'succeeded'`, [round.purchases.map((p) => p.paymentId)])).rows[0];
  const answered = round.purchases.every((p) => p.amount === SEAT_PRICE);
  const ok = n > 0 && bookings.n === n && bookings.seats === n && paid.n === n && paid.amount === n * SEAT_PRICE && bookings.amount === paid.amount && answered;
  if (!ok || !verified.has(name)) {
    checks.expect(ok, `${name}: ${n} purchases → ${bookings.n} confirmed bookings of ${bookings.seats} distinct seats (${bookings.amount}), ${paid.n} succeeded payments (${paid.amount}), every answer's amount ${SEAT_PRICE}: ${answered}`);
    verified.add(name);
  }
  tally[name] = (tally[name] ?? 0) + n;
}
const verified = new Set<string>();
const tally: Record<string, number> = {};

type Answer = { statusCode: number; body: string };
const answerOf = async (p: Promise<unknown>) => {
  const a = (await p) as Answer;
  return { status: a.statusCode, body: a.body ? JSON.parse(a.body) : undefined };
};
function expectStatus(step: string, got: { status: number; body: unknown }, want: number[]) {
  if (!want.includes(got.status)) throw new Error(`${step} answered ${got.status}: ${JSON.stringify(got.body).slice(0, 300)}`);
}

/** Newest modification time under the gateway's bundle folder: unchanged across the run means nothing was bundled at request time. */
function newestBundle(dir: string): number {
  let newest = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

await runBench(async (checks) => {
  let stack: TestStack | undefined;
  let local: TestDatabases | undefined;
  let shim: Server | undefined;
  // what the in-process purchases set off in the background (below): stopped and awaited at the end
  const relays: { stop(): Promise<void> }[] = [];
  const settingOff = new Set<Promise<void>>();
  const counted = { step: undefined as Step | 'authorizer' | undefined, queries: {} as Record<string, number[]>, current: 0 };
  let results!: Record<'gateway1' | 'inProcess1' | 'gatewayN' | 'inProcessN', Round[]>;
  let probes!: { gatewayTrivial: number[]; inProcessTrivial: number[]; gatewaySignedIn: number[]; inProcessSignedIn: number[]; authorizer: number[]; authorizerQueries: number };
  const bundles = { before: 0, after: 0 };
  try {
    stack = await startTestStack({ JWT_SECRET: process.env.JWT_SECRET!, DATABASE_POOL_MAX: String(CUSTOMERS + 2) }, { events: true, readyTimeoutMs: 300_000 }); // a loaded machine bundles slowly
    const gw = stack;
    local = await createTestDatabases();
    const localDb = local;
    const bookingOf = { gateway: gw.db.pool('booking'), local: new pg.Pool({ connectionString: databaseUrl('booking', localDb.env), max: CUSTOMERS + 2 }) };
    bookingOf.local.on('error', () => undefined); // dropping the databases at the end ends its idle connections
    const customers = await Promise.all(Array.from({ length: CUSTOMERS }, () => signUp(gw.api)));

    // The in-process handlers read their settings at import: this process's environment now
    // names the in-process databases, and the shim stands where the gateway's Lambda endpoint
    // and /payments/webhook stand for the gateway's functions.
    const shimPort = await freePort();
    const shimUrl = `http://127.0.0.1:${shimPort}`;
    Object.assign(process.env, localDb.env, {
      JWT_SECRET: gw.jwtSecret,
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PAYMENT_WEBHOOK_URL: `${shimUrl}/payments/webhook`,
      LAMBDA_ENDPOINT: shimUrl,
      DATABASE_POOL_MAX: String(CUSTOMERS + 2),
      LEDGER_SIGNING_KEY: LEDGER_KEY.secretKey,
      ...Object.fromEntries(Object.entries(gw.eventKeys).filter(([k]) => k.startsWith('EVENT_PUBLIC_KEY_'))),
    });
    // queries of the in-process databases, by the step under way (counted in the 1-customer rounds
    // only); the work a purchase sets off in the background (below) is no step's
    const setOff = new AsyncLocalStorage<true>();
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (counted.step && !setOff.getStore() && this.database?.startsWith(localDb.prefix)) counted.current++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;

    const holdSeats = (await import('../functions/booking/http/hold-seats')).handler;
    const checkoutCart = (await import('../functions/booking/http/checkout-cart')).handler;
    const startPayment = (await import('../functions/payment/http/start-payment')).handler;
    const pay = (await import('../functions/payment/http/test-provider-pay')).handler;
    const webhook = (await import('../functions/payment/http/provider-webhook')).handler;
    const checkoutForPayment = (await import('../functions/booking/internal/checkout-for-payment')).handler;
    const authorizer = (await import('../functions/auth/http/authorizer')).handler;
    const oidcProviders = (await import('../functions/auth/http/oidc-providers')).handler;
    const me = (await import('../functions/auth/http/me')).handler;
    const { getPool } = await import('../layers/core/db');
    const { queueName } = await import('../layers/events/topology');

    shim = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        if (req.url === '/payments/webhook') {
          const a = (await webhook(httpEvent('POST', '/payments/webhook', { rawBody: body, headers: req.headers as Record<string, string> }), lambdaContext())) as Answer;
          res.writeHead(a.statusCode, { 'content-type': 'application/json' }).end(a.body);
        } else if (req.url?.startsWith('/2015-03-31/functions/')) {
          // the Lambda Invoke API, as LambdaClient calls it: the payload in, the function's answer out
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await checkoutForPayment(JSON.parse(body), lambdaContext())));
        } else res.writeHead(404).end();
      } catch (err) {
        res.writeHead(200, { 'x-amz-function-error': 'Unhandled' }).end(JSON.stringify({ errorMessage: String(err) }));
      }
    });
    await new Promise<void>((r) => shim!.listen(shimPort, '127.0.0.1', r));

    // What a purchase sets off besides its steps, as the runner does it for the gateway's stack:
    // every consumer bound to an event's type, invoked here with the event as its queue delivers
    // it, in the background while the purchases go on (the runner's invocations do not wait for
    // the next purchase either). A consumer that throws is a wrong round.
    type Consumer = (event: unknown, context: unknown) => Promise<unknown>;
    const consumers = Object.fromEntries(await Promise.all(CONSUMER_QUEUES.map(async (q) => [q, (await import(`../${consumerModule(q).path}`)).handler as Consumer])));
    const bound = (event: Envelope, except?: string) => CONSUMER_QUEUES.filter((q) => q !== except && (CONSUMERS[q].bindings as readonly string[]).includes(event.type));
    const invoke = (queue: (typeof CONSUMER_QUEUES)[number], event: Envelope) => consumers[queue](rabbitMqEventOf(queueName(gw.topology!, queue), [{ event, attempt: 1, redelivered: false }]), lambdaContext());
    const setOffFailures: string[] = [];
    const inBackground = (queue: (typeof CONSUMER_QUEUES)[number], event: Envelope) => {
      const work = setOff.run(true, () => invoke(queue, event)).then(
        () => undefined,
        (err: unknown) => void setOffFailures.push(`${queue} on ${event.type}: ${String((err as Error)?.message ?? err)}`),
      );
      settingOff.add(work);
      void work.finally(() => settingOff.delete(work));
    };
    const toConsumers = (domain: 'catalog' | 'booking') => signingPublisher(relaySigner(domain, gw.eventKeys), { async publish(event) { for (const q of bound(event)) inBackground(q, event); } });
    // booking's and catalog's relays, the production ones, woken by their outbox's NOTIFY as the runner's are
    relays.push(...setOff.run(true, () => [startOutboxRelay(localDb.pool('booking'), toConsumers('booking'), { intervalMs: 200 }), startOutboxRelay(localDb.pool('catalog'), toConsumers('catalog'), { intervalMs: 200 })]));

    // the confirm step: payment's relay, its own code, signed, onto booking's consumer; the
    // ledger's record of the same payment.success goes on in the background
    const paymentPool = getPool('payment');
    const toBooking = signingPublisher(relaySigner('payment', gw.eventKeys), {
      async publish(event) {
        for (const q of bound(event, 'booking-payment-succeeded')) inBackground(q, event);
        if (event.type === 'payment.success') await invoke('booking-payment-succeeded', event);
      },
    });
    // customers with accounts, as the gateway's have: the mails find their address
    const { registerUser } = await import('../functions/auth/users');
    const localUsers = await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, i) => (await registerUser(getPool('auth'), { email: `customer-${i}-${randomUUID()}@example.test`, password: 'bench-password', name: 'Bench' }, 1024)).id as string),
    );

    // a bare client: the stack's own (gw.api) holds every answer to the API's document, work no customer's client does
    const call = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(gw.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const throughGateway: Buyer = async (customer, showtimeId, seat, mark) => {
      const { token } = customers[customer];
      const hold = await call('/cart/holds', { showtimeId, seats: [seat] }, token);
      expectStatus('hold', hold, [201]);
      mark('hold');
      const checkout = await call('/cart/checkout', { showtimeId }, token);
      expectStatus('checkout', checkout, [201]);
      mark('checkout');
      const payment = await call('/payments', { checkoutId: checkout.body.checkout.id }, token);
      expectStatus('payment', payment, [201]);
      mark('payment');
      const paid = await call(payment.body.nextAction.url, { cardNumber: CARD });
      if (paid.status !== 200 || paid.body.outcome !== 'succeeded' || paid.body.webhookStatus !== 200) throw new Error(`paying answered ${paid.status}: ${JSON.stringify(paid.body)}`);
      mark('pay');
      await confirmedBooking(bookingOf.gateway, payment.body.payment.id);
      mark('confirm');
      return { paymentId: payment.body.payment.id, amount: payment.body.payment.amount };
    };

    const inProcess: Buyer = async (customer, showtimeId, seat, mark) => {
      const userId = localUsers[customer];
      const step = <T>(name: Step, body: () => Promise<T>) => {
        if (counted.step) counted.step = name;
        return body();
      };
      const hold = await step('hold', () => answerOf(holdSeats(httpEvent('POST', '/cart/holds', { userId, body: { showtimeId, seats: [seat] } }), lambdaContext())));
      expectStatus('hold', hold, [201]);
      mark('hold');
      const tally = (s: Step) => {
        if (!counted.step) return;
        (counted.queries[s] ??= []).push(counted.current);
        counted.current = 0;
      };
      tally('hold');
      const checkout = await step('checkout', () => answerOf(checkoutCart(httpEvent('POST', '/cart/checkout', { userId, body: { showtimeId } }), lambdaContext())));
      expectStatus('checkout', checkout, [201]);
      mark('checkout');
      tally('checkout');
      const payment = await step('payment', () => answerOf(startPayment(httpEvent('POST', '/payments', { userId, body: { checkoutId: checkout.body.checkout.id } }), lambdaContext())));
      expectStatus('payment', payment, [201]);
      mark('payment');
      tally('payment');
      const sessionId = payment.body.nextAction.url.split('/')[3];
      const paid = await step('pay', () => answerOf(pay(httpEvent('POST', payment.body.nextAction.url, { body: { cardNumber: CARD }, pathParameters: { sessionId } }), lambdaContext())));
      if (paid.status !== 200 || paid.body.outcome !== 'succeeded' || paid.body.webhookStatus !== 200) throw new Error(`paying answered ${paid.status}: ${JSON.stringify(paid.body)}`);
      mark('pay');
      tally('pay');
      await step('confirm', () => relayOutbox(paymentPool, toBooking));
      const counting = counted.step;
      counted.step = undefined; // the bench's own polls are no query of the purchase
      await confirmedBooking(bookingOf.local, payment.body.payment.id);
      counted.step = counting;
      mark('confirm');
      tally('confirm');
      return { paymentId: payment.body.payment.id, amount: payment.body.payment.amount };
    };

    const dbs = { gateway: { booking: bookingOf.gateway, payment: gw.db.pool('payment') }, local: { booking: bookingOf.local, payment: paymentPool } };
    // what the purchases set off, caught up: the seat map shows the round's seats sold, the ledger
    // has both facts of every purchase so far and the mails one each; checked once a way, or when wrong
    const bought = { gateway: 0, local: 0 };
    const caught = new Set<string>();
    const caughtUp = async (name: string, way: 'gateway' | 'local', round: Round) => {
      const of = way === 'gateway' ? gw.db : localDb;
      const n = round.purchases.length;
      const downstream = async () => ({
        sold: await soldInCatalog(of.pool('catalog'), round.showtimeId),
        recorded: await recordedInLedger(of.pool('ledger')),
        mailed: await countOf(of.pool('auth'), `SELECT count(*) AS n FROM dev_mailbox WHERE fact_key LIKE 'event:%'`, []),
      });
      const t0 = performance.now();
      const ok = await settles(async () => {
        const d = await downstream();
        return d.sold >= n && d.recorded >= 2 * bought[way] && d.mailed >= bought[way];
      }, 60_000);
      const d = await downstream();
      if (!ok || !caught.has(name) || setOffFailures.length) {
        checks.expect(ok && d.sold === n && d.recorded === 2 * bought[way] && d.mailed === bought[way] && setOffFailures.length === 0, `${name}: the seat map shows ${d.sold} of ${n} seats sold, the ledger ${d.recorded} facts for ${bought[way]} purchases so far, ${d.mailed} mails${setOffFailures.length ? `; in the background: ${setOffFailures.splice(0).join('; ')}` : ''}`);
        caught.add(name);
      }
      if (ok) console.error(`[purchase bench] ${name}: the seat map, the ledger and the mails caught up ${((performance.now() - t0) / 1000).toFixed(1)} s after the round`);
    };
    const subject = (name: string, customersAtOnce: number, way: 'gateway' | 'local') => async (r: number) => {
      const { showtimeId, seatIds } = await scheduleBenchShowtime(way === 'gateway' ? gw.db : localDb, SEATS);
      counted.step = way === 'local' && customersAtOnce === 1 && r >= 0 ? 'hold' : undefined;
      counted.current = 0;
      const round = await purchaseRound(customersAtOnce, r < 0 ? 1 : SECONDS, showtimeId, seatIds, way === 'gateway' ? throughGateway : inProcess);
      counted.step = undefined;
      bought[way] += round.purchases.length;
      await verify(checks, name, dbs[way], round);
      await caughtUp(name, way, round);
      return round;
    };

    const workFolder = join(ROOT, '.esbuild', gw.db.prefix);
    bundles.before = newestBundle(workFolder);
    results = await interleaved(
      ROUNDS,
      {
        gateway1: subject('through the gateway, 1 customer', 1, 'gateway'),
        inProcess1: subject('in-process, 1 customer', 1, 'local'),
        gatewayN: subject(`through the gateway, ${CUSTOMERS} customers`, CUSTOMERS, 'gateway'),
        inProcessN: subject(`in-process, ${CUSTOMERS} customers`, CUSTOMERS, 'local'),
      },
      (name, r, round) => console.error(`[purchase bench] ${name} ${roundName(r)}: ${round.purchases.length} purchases, ${(round.purchases.length / round.seconds).toFixed(1)}/s`),
    );

    // where the difference goes: a trivial public route (no database) both ways, and the authorizer's session check
    const { openSession } = await import('../functions/auth/sessions');
    const { keys } = await import('../functions/auth/config');
    const authPool = getPool('auth');
    const user = await registerUser(authPool, { email: `probe-${randomUUID()}@example.test`, password: 'probe-password', name: 'Probe' }, 1024);
    const { token } = await openSession(authPool, keys, user, { clientIp: '127.0.0.1', signedInWith: 'password' });
    const sessionId = (await authPool.query('SELECT id FROM sessions WHERE user_id = $1', [user.id])).rows[0].id as string;
    const authorizerEvent = { headers: { authorization: `Bearer ${token}` } } as never;
    const times = async (n: number, call: () => Promise<void>) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await call();
        out.push(performance.now() - t0);
      }
      return out;
    };
    let authorizerQueries = 0;
    const probeRounds = await interleaved(ROUNDS, {
      gatewayTrivial: async () =>
        percentile(
          await times(PROBES, async () => {
            const res = await fetch(`${gw.url}/auth/oidc/providers`);
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`GET /auth/oidc/providers answered ${res.status}`);
          }),
          50,
        ),
      inProcessTrivial: async () =>
        percentile(
          await times(PROBES, async () => {
            const a = (await oidcProviders(httpEvent('GET', '/auth/oidc/providers'), lambdaContext())) as Answer;
            if (a.statusCode !== 200) throw new Error(`oidc providers answered ${a.statusCode}`);
          }),
          50,
        ),
      // a signed-in route: through the gateway serverless-offline invokes the authorizer first
      gatewaySignedIn: async () =>
        percentile(
          await times(PROBES, async () => {
            const res = await fetch(`${gw.url}/auth/me`, { headers: { authorization: `Bearer ${customers[0].token}` } });
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`GET /auth/me answered ${res.status}`);
          }),
          50,
        ),
      inProcessSignedIn: async () =>
        percentile(
          await times(PROBES, async () => {
            const a = (await me({ ...httpEvent('GET', '/auth/me'), requestContext: { ...httpEvent('GET', '/auth/me').requestContext, authorizer: { lambda: { userId: user.id, role: 'customer', sessionId } } } } as never, lambdaContext())) as Answer;
            if (a.statusCode !== 200) throw new Error(`me answered ${a.statusCode}: ${a.body}`);
          }),
          50,
        ),
      authorizer: async () => {
        counted.step = 'authorizer';
        counted.current = 0;
        const ms = await times(PROBES, async () => {
          const d = (await authorizer(authorizerEvent, lambdaContext())) as { context: Record<string, string> };
          if (d.context.userId !== user.id) throw new Error(`the authorizer found no session: ${JSON.stringify(d)}`);
        });
        authorizerQueries = counted.current / PROBES;
        counted.step = undefined;
        return percentile(ms, 50);
      },
    });
    probes = { ...probeRounds, authorizerQueries };
    bundles.after = newestBundle(workFolder);
    const broker = await amqp.connect(TEST_RABBITMQ_URL);
    try {
      await expectAllDelivered(checks, broker, gw.topology!);
    } finally {
      await broker.close();
    }
    await bookingOf.local.end();
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
    await Promise.all(settingOff);
    await new Promise((r) => (shim ? shim.close(r) : r(undefined)));
    const { closePools } = await import('../layers/core/db');
    await closePools();
    await local?.drop();
    await stack?.stop();
  }

  for (const [name, n] of Object.entries(tally)) checks.expect(n > 0, `${name}: ${n} purchases in all, every round checked`);
  checks.expect(bundles.after === bundles.before, `nothing bundled at request time: the gateway's bundles ${bundles.after === bundles.before ? 'unchanged' : 'rewritten'} across the measured rounds`);

  const rate = (rounds: Round[]) => median(rounds.map((r) => r.purchases.length / r.seconds));
  const stepP50 = (rounds: Round[], s: Step) => median(rounds.map((r) => percentile(r.purchases.map((p) => p.ms[s]), 50)));
  const total = (rounds: Round[]) => median(rounds.map((r) => percentile(r.purchases.map((p) => STEPS.reduce((k, s) => k + p.ms[s], 0)), 50)));
  printTable(`A whole purchase — hold, checkout, payment, the provider's charge and webhook, to the booking confirmed; ${ROUNDS} rounds of ${SECONDS} s each way, taking turns after a warm-up round; medians`, [
    { figure: 'through the gateway, 1 customer: purchases/s', value: rate(results.gateway1), unit: '/s', baseline: { name: 'in-process', value: rate(results.inProcess1) } },
    { figure: `through the gateway, ${CUSTOMERS} customers at a time: purchases/s`, value: rate(results.gatewayN), unit: '/s', baseline: { name: 'in-process', value: rate(results.inProcessN) } },
    { figure: 'a purchase p50, 1 customer, through the gateway', value: total(results.gateway1), unit: 'ms', baseline: { name: 'in-process', value: total(results.inProcess1) } },
  ]);
  const queries = (s: Step) => median(counted.queries[s] ?? []);
  const auth = median(probes.authorizer);
  printTable(`Where a purchase's time goes — each step's p50 with 1 customer (gateway / in-process), its database queries in-process (the gateway adds the authorizer's on the signed-in steps), and the gateway's parts; ${PROBES} calls a round for the probes`, [
    ...STEPS.map((s) => ({ figure: `${STEP_NAMES[s]} — ${queries(s)} queries${s === 'confirm' ? ' (relay + consumer)' : ''}${['hold', 'checkout', 'payment'].includes(s) ? ' + 1 of the authorizer' : ''}`, value: stepP50(results.gateway1, s), unit: 'ms', baseline: { name: 'in-process', value: stepP50(results.inProcess1, s) } })),
    { figure: `the authorizer in-process (token check + session read, ${probes.authorizerQueries} query): p50`, value: auth, unit: 'ms', baseline: { name: "the trivial route's gateway overhead", value: median(probes.gatewayTrivial) - median(probes.inProcessTrivial) } },
    { figure: 'a trivial public route (GET /auth/oidc/providers, no database) through the gateway: p50', value: median(probes.gatewayTrivial), unit: 'ms', baseline: { name: 'in-process', value: median(probes.inProcessTrivial) } },
    { figure: 'a signed-in route (GET /auth/me: the authorizer, then one read) through the gateway: p50', value: median(probes.gatewaySignedIn), unit: 'ms', baseline: { name: 'in-process, without the authorizer', value: median(probes.inProcessSignedIn) } },
    { figure: 'bundling at request time (the bundles rewritten during the run)', value: bundles.after === bundles.before ? 0 : 1, unit: '', baseline: undefined },
  ]);
});
