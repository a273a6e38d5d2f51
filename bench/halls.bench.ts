// How holds and the seat map's reads grow with the hall: halls of 100, 1,000 and 5,000 seats
// (BENCH_HALLS), 30% of each held, sold or blocked. For each size: a one-seat hold p50 from
// the hold handler in-process (without and with the single-seat rule, which reads the whole
// hall), and through the gateway; the seat map's layout and availability through the
// gateway, and the availability statement alone. Baselines from the same run, same size: a
// plain single-row upsert from Node for the holds, a plain SELECT of the showtime's claims
// for the reads. Every subject takes turns with the others round by round, after a warm-up.
// Each hold is of a free seat nobody else is holding at that moment, released after (not
// timed), so the hall stays 30% full and every hold without the rule must win.
import { holdEvent, lambdaContext } from './lib/lambda-event';
import type pg from 'pg';
import { startTestStack, signUp, signUpAdmin, type TestStack } from '../test/support/stack';
import { scheduleShowtime } from '../test/support/flow';
import { readAvailability } from '../functions/booking/availability';
import { releaseSeat, setSeatingRules } from '../functions/booking/holds';
import { holdPolicy } from '../functions/booking/config';
import { forSeconds, interleaved, median, percentile, printTable } from './lib/stats';
import { runBench } from './lib/checks';
import { claimThirtyPercent } from './lib/showtime';

const SIZES = (process.env.BENCH_HALLS ?? '100,1000,5000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const READS = Number(process.env.BENCH_SAMPLES ?? 30);

/** Row labels A … Z, AA … AZ, BA …: as many rows as a hall may have. */
const rowLabel = (i: number) => (i < 26 ? '' : String.fromCharCode(64 + Math.floor(i / 26))) + String.fromCharCode(65 + (i % 26));

/** A hall of `seats` seats as rows of seatmap.bench's shape (two aisles where a row has room, the back rows premium, accessible row ends). */
function hall(seats: number) {
  const perRow = seats <= 100 ? 20 : seats <= 1000 ? 25 : 100;
  const rows = Math.ceil(seats / perRow);
  return {
    categories: { standard: 1200, premium: 1800 },
    rows: Array.from({ length: rows }, (_, r) => {
      const n = Math.min(perRow, seats - r * perRow);
      const cells: unknown[] = [];
      for (let i = 1; i <= n; i++) {
        cells.push(i === 1 || i === n ? { category: 'standard', accessible: true } : r >= rows - 4 ? 'premium' : 'standard');
        if (n + 2 <= 100 && (i === 3 || i === n - 3)) cells.push(null);
      }
      return { label: rowLabel(r), seats: cells };
    }),
  };
}



/** What a round of one subject measured: each figure's samples in ms, and the answers' statuses. */
interface Round {
  ms: Record<string, number[]>;
  statuses: Record<number, number>;
  bytes: Record<string, number>;
}

interface Hall {
  seats: number;
  showtimeId: string;
  /** the same hall under the single-seat rule */
  strictShowtimeId: string;
  free: string[];
  claimed: number;
}

await runBench(async (checks) => {
  const stack: TestStack = await startTestStack({ LOG_LEVEL: 'error' }, { events: true });
  let results: Record<string, Round[]>;
  const halls: Hall[] = [];
  try {
    const admin = (await signUpAdmin(stack)).token;
    const booking = stack.db.pool('booking');
    for (const seats of SIZES) {
      const plain = await scheduleShowtime(stack, admin, { layout: hall(seats) });
      const strict = await scheduleShowtime(stack, admin, { layout: hall(seats) });
      const free = (await claimThirtyPercent(booking, plain.showtimeId)).free;
      await claimThirtyPercent(booking, strict.showtimeId);
      await setSeatingRules(booking, strict.showtimeId, true, holdPolicy);
      halls.push({ seats, showtimeId: plain.showtimeId, strictShowtimeId: strict.showtimeId, free, claimed: seats - free.length });
    }
    const customers = await Promise.all(Array.from({ length: CONCURRENCY }, () => signUp(stack.api)));

    Object.assign(process.env, stack.db.env, { JWT_SECRET: stack.jwtSecret, DATABASE_POOL_MAX: String(CONCURRENCY), LOG_LEVEL: 'error' });
    const { handler } = await import('../functions/booking/http/hold-seats');

    /** CONCURRENCY holders for a round of `seconds`, each holding a random free seat no other holder has at that moment, then letting it go. */
    const holds = (h: Hall, showtimeId: string, attempt: (worker: number, seat: string) => Promise<number>, letGo: (worker: number, seat: string) => Promise<void>) => async (r: number): Promise<Round> => {
      const ms: number[] = [];
      const statuses: Record<number, number> = {};
      const busy = new Set<string>();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, worker) =>
          forSeconds(r < 0 ? WARMUP_SECONDS : SECONDS, async () => {
            let seat: string;
            do seat = h.free[Math.floor(Math.random() * h.free.length)];
            while (busy.has(seat));
            busy.add(seat);
            const t0 = performance.now();
            const status = await attempt(worker, seat);
            ms.push(performance.now() - t0);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 201) await letGo(worker, seat);
            busy.delete(seat);
          }),
        ),
      );
      return { ms: { hold: ms }, statuses, bytes: {} };
    };
    const inProcess = (worker: number) => async (showtimeId: string, seat: string) =>
      ((await handler(holdEvent({ showtimeId, seats: [seat] }, customers[worker].user.id), lambdaContext())) as { statusCode: number }).statusCode;
    const release = (showtimeId: string) => (worker: number, seat: string) => releaseSeat(booking, customers[worker].user.id, showtimeId, seat);

    /** The seat map's reads, READS of each in turn: the layout and the availability through the gateway, the availability statement, and the plain SELECT. */
    const reads = (h: Hall) => async (): Promise<Round> => {
      const ms: Record<string, number[]> = { layout: [], availability: [], statement: [], plain: [] };
      const bytes: Record<string, number> = {};
      const statuses: Record<number, number> = {};
      const timed = async (name: string, read: () => Promise<number>) => {
        const t0 = performance.now();
        bytes[name] = await read();
        ms[name].push(performance.now() - t0);
      };
      const get = async (path: string) => {
        const res = await fetch(stack.url + path);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        return (await res.arrayBuffer()).byteLength;
      };
      for (let i = 0; i < READS; i++) {
        await timed('layout', () => get(`/showtimes/${h.showtimeId}/layout`));
        await timed('availability', () => get(`/showtimes/${h.showtimeId}/availability`));
        await timed('statement', async () => Buffer.byteLength(JSON.stringify(await readAvailability(booking, h.showtimeId, undefined))));
        await timed('plain', async () => {
          const { rows } = await booking.query('SELECT seat_id, status, user_id, expires_at FROM seat_claims WHERE showtime_id = $1', [h.showtimeId]);
          return Buffer.byteLength(JSON.stringify(rows));
        });
      }
      return { ms, statuses, bytes };
    };

    const subjects: Record<string, (r: number) => Promise<Round>> = {};
    for (const h of halls) {
      subjects[`${h.seats} upsert`] = holds(
        h,
        h.showtimeId,
        async (worker, seat) => {
          await booking.query(
            `INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at) VALUES ($1, $2, $3, 'held', 1200, now() + interval '10 minutes')
             ON CONFLICT (showtime_id, seat_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
            [h.showtimeId, seat, customers[worker].user.id],
          );
          return 201;
        },
        release(h.showtimeId),
      );
      subjects[`${h.seats} hold`] = holds(h, h.showtimeId, (w, seat) => inProcess(w)(h.showtimeId, seat), release(h.showtimeId));
      subjects[`${h.seats} rule`] = holds(h, h.strictShowtimeId, (w, seat) => inProcess(w)(h.strictShowtimeId, seat), release(h.strictShowtimeId));
      subjects[`${h.seats} gateway`] = holds(
        h,
        h.showtimeId,
        async (worker, seat) => {
          const res = await fetch(`${stack.url}/cart/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${customers[worker].token}` },
            body: JSON.stringify({ showtimeId: h.showtimeId, seats: [seat] }),
          });
          await res.arrayBuffer();
          return res.status;
        },
        release(h.showtimeId),
      );
      subjects[`${h.seats} reads`] = reads(h);
    }
    results = await interleaved(ROUNDS, subjects, (name, r, round) => console.error(`[halls bench] ${name} round ${r + 1}: ${Object.entries(round.ms).map(([k, v]) => `${k} p50 ${median(v).toFixed(2)} ms`).join(', ')}`));

    // every hold without the rule won (its seat was free and nobody else's), and each let go: the halls are as claimed before
    for (const h of halls) {
      for (const kind of ['hold', 'gateway', 'rule'] as const) {
        const counts: Record<number, number> = {};
        for (const round of results[`${h.seats} ${kind}`]) for (const [s, n] of Object.entries(round.statuses)) counts[Number(s)] = (counts[Number(s)] ?? 0) + n;
        const wrong = Object.entries(counts).filter(([s]) => !(s === '201' || (kind === 'rule' && s === '409'))).length;
        checks.expect(wrong === 0 && (counts[201] ?? 0) > 0, `${h.seats} seats, ${kind === 'rule' ? 'single-seat rule on' : kind}: answers ${JSON.stringify(counts)} (measured rounds)`);
      }
      const reads: Record<string, number> = {};
      for (const round of results[`${h.seats} reads`]) for (const [s, n] of Object.entries(round.statuses)) reads[s] = (reads[s] ?? 0) + n;
      checks.expect(Object.keys(reads).every((s) => s === '200'), `${h.seats} seats: the seat map's reads through the gateway answered ${JSON.stringify(reads)} (measured rounds)`);
      for (const [showtimeId, which] of [[h.showtimeId, ''], [h.strictShowtimeId, ', single-seat rule on']]) {
        const { rows } = await booking.query('SELECT count(*)::int AS n FROM seat_claims WHERE showtime_id = $1', [showtimeId]);
        checks.expect(rows[0].n === h.claimed, `${h.seats} seats${which}: ${rows[0].n} claims left after the rounds, ${h.claimed} claimed before`);
      }
    }
  } finally {
    const { closePools } = await import('../layers/core/db');
    await closePools();
    await stack.stop();
  }

  const p50 = (rounds: Round[], figure: string) => median(rounds.map((round) => percentile(round.ms[figure], 50)));
  const bytes = (rounds: Round[], figure: string) => rounds[rounds.length - 1].bytes[figure];
  const rows = halls.flatMap((h) => {
    const of = (kind: string) => results[`${h.seats} ${kind}`];
    const upsert = { name: 'Node upsert p50', value: p50(of('upsert'), 'hold') };
    const plain = { name: 'plain SELECT of the claims p50', value: p50(of('reads'), 'plain') };
    const n = h.seats.toLocaleString('en');
    return [
      { figure: `${n} seats: one-seat hold in-process p50`, value: p50(of('hold'), 'hold'), unit: 'ms', baseline: upsert },
      { figure: `${n} seats: the same, single-seat rule on`, value: p50(of('rule'), 'hold'), unit: 'ms', baseline: upsert },
      { figure: `${n} seats: one-seat hold through the gateway p50`, value: p50(of('gateway'), 'hold'), unit: 'ms', baseline: upsert },
      { figure: `${n} seats: layout through the gateway p50 (${bytes(of('reads'), 'layout').toLocaleString('en')} B)`, value: p50(of('reads'), 'layout'), unit: 'ms', baseline: plain },
      { figure: `${n} seats: availability through the gateway p50 (${bytes(of('reads'), 'availability').toLocaleString('en')} B)`, value: p50(of('reads'), 'availability'), unit: 'ms', baseline: plain },
      { figure: `${n} seats: availability statement alone p50`, value: p50(of('reads'), 'statement'), unit: 'ms', baseline: plain },
    ];
  });
  printTable(`Halls of ${SIZES.map((s) => s.toLocaleString('en')).join(' / ')} seats, 30% claimed — ${CONCURRENCY} holders at a time, ${ROUNDS} rounds of ${SECONDS} s per hold figure and ${READS} reads of each per round, all taking turns after a warm-up; medians of the rounds' p50s`, rows);

  // the curve, one column per size, each figure's growth from the smallest hall
  const first = halls[0];
  const curve: [string, string, string][] = [
    ['one-seat hold, in-process', 'hold', 'hold'],
    ['one-seat hold, single-seat rule on', 'rule', 'hold'],
    ['one-seat hold, through the gateway', 'gateway', 'hold'],
    ['Node upsert (baseline)', 'upsert', 'hold'],
    ['layout, through the gateway', 'reads', 'layout'],
    ['availability, through the gateway', 'reads', 'availability'],
    ['availability statement alone', 'reads', 'statement'],
    ['plain SELECT of the claims (baseline)', 'reads', 'plain'],
  ];
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  console.log(`\n| p50, ms | ${halls.map((h) => `${h.seats.toLocaleString('en')} seats`).join(' | ')} | ${halls[halls.length - 1].seats.toLocaleString('en')} against ${first.seats} |`);
  console.log(`|---|${halls.map(() => '---|').join('')}---|`);
  for (const [label, kind, figure] of curve) {
    const values = halls.map((h) => p50(results[`${h.seats} ${kind}`], figure));
    console.log(`| ${label} | ${values.map(fmt).join(' | ')} | ${(values[values.length - 1] / values[0]).toFixed(2)} |`);
  }
});
