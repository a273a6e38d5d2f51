// The seat map of a 1,000-seat hall: bytes and time of its layout and of an availability
// read (a full answer, and a 304), against a plain SELECT of the showtime's claims in the
// same run; and the web page's time to an interactive map in Chromium for 300 and 1,000
// seats, against the page's own two API reads. Medians; 30% of the seats are claimed.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestStack, signUpAdmin, type TestStack } from '../test/support/stack';
import { scheduleShowtime } from '../test/support/flow';
import { buildTestWebApp, customerContext, launchChromium } from '../test/support/browser';
import { availabilityVersion, readAvailability } from '../functions/booking/availability';
import { median, printTable, repeat } from './lib/stats';
import { claimThirtyPercent } from './lib/showtime';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const PAGE_SAMPLES = Number(process.env.BENCH_PAGE_SAMPLES ?? 7);

const rowLabel = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + i - 26)}`);
/** `rows` rows of `perRow` seats with two aisles; the back rows premium, two accessible places a row. */
function hall(rows: number, perRow: number) {
  return {
    categories: { standard: 1200, premium: 1800 },
    rows: Array.from({ length: rows }, (_, r) => {
      const seats: unknown[] = [];
      for (let i = 1; i <= perRow; i++) {
        seats.push(i === 1 || i === perRow ? { category: 'standard', accessible: true } : r >= rows - 4 ? 'premium' : 'standard');
        if (i === 3 || i === perRow - 3) seats.push(null);
      }
      return { label: rowLabel(r), seats };
    }),
  };
}


async function timed(n: number, fn: () => Promise<number>): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    bytes = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), bytes };
}

async function main() {
  const web = await buildTestWebApp();
  const stack: TestStack = await startTestStack({ WEB_DIST_DIR: web.dir, LOG_LEVEL: 'error' }, { events: true });
  const browser = await launchChromium();
  try {
    const admin = (await signUpAdmin(stack)).token;
    const big = await scheduleShowtime(stack, admin, { layout: hall(40, 25) });
    const small = await scheduleShowtime(stack, admin, { layout: hall(15, 20) });
    const booking = stack.db.pool('booking');
    const claimed = (await claimThirtyPercent(booking, big.showtimeId)).claimed;
    await claimThirtyPercent(booking, small.showtimeId);

    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(stack.url + path, { headers });
      return { status: res.status, bytes: (await res.arrayBuffer()).byteLength, etag: res.headers.get('etag') };
    };
    const layoutPath = `/showtimes/${big.showtimeId}/layout`;
    const availabilityPath = `/showtimes/${big.showtimeId}/availability`;
    const current = (await get(availabilityPath)).etag!;
    for (let i = 0; i < 20; i++) await Promise.all([get(layoutPath), get(availabilityPath), get(availabilityPath, { 'if-none-match': current })]); // warm

    const layout = await timed(SAMPLES, async () => (await get(layoutPath)).bytes);
    const full = await timed(SAMPLES, async () => (await get(availabilityPath)).bytes);
    const notModified = await timed(SAMPLES, async () => {
      const r = await get(availabilityPath, { 'if-none-match': current });
      if (r.status !== 304) throw new Error(`expected 304, got ${r.status}`);
      return r.bytes;
    });
    // the database's part alone, in this process: what each answer reads, and the plain SELECT
    const plain = await timed(SAMPLES, async () => {
      const { rows } = await booking.query('SELECT seat_id, status, user_id, expires_at FROM seat_claims WHERE showtime_id = $1', [big.showtimeId]);
      return Buffer.byteLength(JSON.stringify(rows));
    });
    const readDb = await timed(SAMPLES, async () => Buffer.byteLength(JSON.stringify(await readAvailability(booking, big.showtimeId, undefined))));
    const versionDb = await timed(SAMPLES, async () => ((await availabilityVersion(booking, big.showtimeId, undefined)) ?? '').length);

    // the page: a fresh browser context each time (nothing cached), until every seat is a control with its status
    const page = async (showtimeId: string, seats: number) => {
      const tti = await repeat(PAGE_SAMPLES, async () => {
        const context = await customerContext(browser, stack.url);
        const p = await context.newPage();
        const t0 = performance.now();
        await p.goto(`/#/showtimes/${showtimeId}`);
        await p.waitForFunction((n) => document.querySelector('[data-ready="true"]') && document.querySelectorAll('[data-seat][role="button"]').length === n, seats, { polling: 'raf', timeout: 30_000 });
        const ms = performance.now() - t0;
        await context.close();
        return ms;
      });
      const reads = await repeat(PAGE_SAMPLES, async () => {
        const context = await customerContext(browser, stack.url);
        const p = await context.newPage();
        await p.goto('/assets/favicon.svg');
        const t0 = performance.now();
        await p.evaluate(async (id) => void (await Promise.all([fetch(`/showtimes/${id}/layout`).then((r) => r.json()), fetch(`/showtimes/${id}/availability`).then((r) => r.json())])), showtimeId);
        const ms = performance.now() - t0;
        await context.close();
        return ms;
      });
      return { tti: median(tti), reads: median(reads) };
    };
    const page300 = await page(small.showtimeId, 300);
    const page1000 = await page(big.showtimeId, 1000);

    console.log(`\n1,000 seats, ${claimed} claimed (held, sold, blocked); ${SAMPLES} samples per request figure, ${PAGE_SAMPLES} per page figure`);
    printTable('Seat map of a 1,000-seat hall (bench/seatmap.bench.ts)', [
      { figure: 'layout, through the gateway: bytes', value: layout.bytes, unit: 'B', baseline: { name: 'plain SELECT of the claims, as JSON', value: plain.bytes } },
      { figure: 'availability (200), through the gateway: bytes', value: full.bytes, unit: 'B', baseline: { name: 'plain SELECT of the claims, as JSON', value: plain.bytes } },
      { figure: 'availability 304: bytes', value: notModified.bytes, unit: 'B' },
      { figure: 'layout, through the gateway: p50', value: layout.ms, unit: 'ms', baseline: { name: 'plain SELECT of the claims', value: plain.ms } },
      { figure: 'availability (200), through the gateway: p50', value: full.ms, unit: 'ms', baseline: { name: 'plain SELECT of the claims', value: plain.ms } },
      { figure: 'availability 304, through the gateway: p50', value: notModified.ms, unit: 'ms', baseline: { name: 'plain SELECT of the claims', value: plain.ms } },
      { figure: 'availability read, database only (one statement): p50', value: readDb.ms, unit: 'ms', baseline: { name: 'plain SELECT of the claims', value: plain.ms } },
      { figure: 'version check (the 304\'s database work): p50', value: versionDb.ms, unit: 'ms', baseline: { name: 'plain SELECT of the claims', value: plain.ms } },
      { figure: 'page to an interactive map, 300 seats', value: page300.tti, unit: 'ms', baseline: { name: "the page's two API reads alone", value: page300.reads } },
      { figure: 'page to an interactive map, 1,000 seats', value: page1000.tti, unit: 'ms', baseline: { name: "the page's two API reads alone", value: page1000.reads } },
    ]);
  } finally {
    await browser.close();
    await stack.stop();
    web.remove();
  }
}

await main();
