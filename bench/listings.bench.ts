// Listings at scale: the movie listing (the programme, a page of it) and a date's showtime
// listing with 1k, 10k and 100k rows (movies, and as many showtimes), written straight into
// catalog's tables. Each is timed in-process (the route's handler), through the gateway, and
// against the baseline of the plain SELECT of the same page, in interleaved rounds of
// BENCH_SECONDS after a warm-up. BENCH_SIZES (comma-separated) picks the sizes.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startGateway } from '../infra/local/gateway';
import { dropDatabases, prepareDatabases } from '../infra/local/postgres';
import { DEFAULT_DATABASE_URL, databaseUrl } from '../layers/core/db';
import { freePort } from '../test/support/ports';
import { forSeconds, interleaved, median, percentile, printTable, type Row } from './lib/stats';
import { runBench } from './lib/checks';
import { httpEvent, lambdaContext } from './lib/lambda-event';

process.env.LOG_LEVEL = 'warn';
const SERVER = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const TZ = 'UTC';
const PAGE = 20;

/** N movies (one in ten archived) and N future showtimes over 200 halls, each hall every 3 hours. */
async function fill(db: pg.Pool, n: number) {
  await db.query('TRUNCATE showtime_seats, showtimes, wishlist, hall_seats, halls, movies CASCADE');
  await db.query(`INSERT INTO movies (id, title, description, genres, duration_minutes, release_date, archived_at)
    SELECT gen_random_uuid(), 'Movie ' || i, 'About ' || i, ARRAY['drama'], 100, date '2020-01-01' + (i % 2000), CASE WHEN i % 10 = 0 THEN now() END FROM generate_series(1, $1::int) i`, [n]);
  await db.query(`INSERT INTO halls (id, name, categories) SELECT gen_random_uuid(), 'Hall ' || i, '{"standard":1200}' FROM generate_series(1, 200) i`);
  await db.query(`INSERT INTO showtimes (id, movie_id, hall_id, starts_at, ends_at, prices)
    SELECT gen_random_uuid(), m.id, h.id, t.starts_at, t.starts_at + interval '2 hours', '{"standard":1200}'
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM halls) h
      CROSS JOIN LATERAL (SELECT date_trunc('day', now()) + interval '1 day' + (k * interval '3 hours') AS starts_at, k FROM generate_series(0, ($1::int / 200) - 1) k) t
      JOIN LATERAL (SELECT id FROM movies WHERE title = 'Movie ' || (1 + (h.n * 7 + t.k) % 500)) m ON true`, [n]);
  await db.query('VACUUM ANALYZE');
}


const timed = (seconds: number, call: () => Promise<void>) =>
  forSeconds(seconds, async () => {
    const t0 = performance.now();
    await call();
    return performance.now() - t0;
  }).then((r) => r.steps);

await runBench(async (checks) => {
  const prefix = `b_${randomBytes(4).toString('hex')}`;
  await prepareDatabases(SERVER, prefix);
  const env = { DATABASE_URL: SERVER, DATABASE_PREFIX: prefix, JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', CINEMA_TIME_ZONE: TZ };
  const catalog = new pg.Pool({ connectionString: databaseUrl('catalog', env), max: 2 });
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  const rows: Row[] = [];
  try {
    gateway = await startGateway({ httpPort: await freePort(), lambdaPort: await freePort(), env: { ...env, ESBUILD_WORK_FOLDER: `.esbuild/${prefix}` } });
    Object.assign(process.env, env);
    const movies = (await import('../functions/catalog/http/list-movies')).handler;
    const showtimes = (await import('../functions/catalog/http/list-showtimes')).handler;
    for (const n of SIZES) {
      await fill(catalog, n);
      const day = (await catalog.query(`SELECT (now() + interval '1 day')::date::text AS d`)).rows[0].d;
      const listings = {
        movies: { path: '/movies', query: { page: '2', pageSize: String(PAGE) }, handler: movies,
          sql: `SELECT id, title, release_date FROM movies WHERE archived_at IS NULL ORDER BY release_date DESC, title, id LIMIT ${PAGE} OFFSET ${PAGE}`,
          total: (await catalog.query(`SELECT count(*)::int AS n FROM movies WHERE archived_at IS NULL`)).rows[0].n },
        showtimes: { path: '/showtimes', query: { date: day, pageSize: String(PAGE) }, handler: showtimes,
          sql: `SELECT s.id, m.title, h.name, s.starts_at FROM showtimes s JOIN movies m ON m.id = s.movie_id JOIN halls h ON h.id = s.hall_id
                 WHERE s.status = 'scheduled' AND s.starts_at >= '${day}'::date AND s.starts_at < '${day}'::date + 1 ORDER BY s.starts_at, h.name LIMIT ${PAGE}`,
          total: (await catalog.query(`SELECT count(*)::int AS n FROM showtimes WHERE starts_at >= $1::date AND starts_at < $1::date + 1`, [day])).rows[0].n },
      };
      for (const [name, l] of Object.entries(listings)) {
        const url = `${gateway.url}${l.path}?${new URLSearchParams(l.query)}`;
        const direct: any = await (l.handler as any)(httpEvent('GET', l.path, { queryStringParameters: l.query }), lambdaContext());
        const viaGateway: any = await (await fetch(url)).json();
        const body = JSON.parse(direct.body);
        checks.expect(direct.statusCode === 200 && Number(body.total) === l.total && body.items.length === Math.min(PAGE, l.total - (name === 'movies' ? PAGE : 0)), `${n} rows, ${name}: the handler answered 200 with total ${body.total} (expected ${l.total}) and ${body.items.length} items`);
        checks.expect(JSON.stringify(viaGateway.items.map((x: any) => x.id)) === JSON.stringify(body.items.map((x: any) => x.id)), `${n} rows, ${name}: the gateway answered the same page as the handler`);
        const seconds = (r: number) => (r < 0 ? 1 : SECONDS);
        const result = await interleaved(ROUNDS, {
          plainSelect: (r) => timed(seconds(r), async () => void (await catalog.query(l.sql))),
          inProcess: (r) => timed(seconds(r), async () => {
            const res: any = await (l.handler as any)(httpEvent('GET', l.path, { queryStringParameters: l.query }), lambdaContext());
            if (res.statusCode !== 200) throw new Error(`${l.path} answered ${res.statusCode}`);
          }),
          viaGateway: (r) => timed(seconds(r), async () => {
            const res = await fetch(url);
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`${l.path} answered ${res.status}`);
          }),
        }, (k, r, ls) => console.error(`[listings bench] ${n} rows, ${name}, ${k} round ${r + 1}: ${ls.length} requests, p50 ${percentile(ls, 50).toFixed(2)} ms`));
        const p50 = (rounds: number[][]) => median(rounds.map((ls) => percentile(ls, 50)));
        const what = name === 'movies' ? 'movie listing (page 2)' : "a date's showtime listing";
        rows.push({ figure: `${n.toLocaleString('en')} rows: ${what} p50, handler in-process`, value: p50(result.inProcess), unit: 'ms', baseline: { name: 'plain SELECT of the page', value: p50(result.plainSelect) } });
        rows.push({ figure: `${n.toLocaleString('en')} rows: ${what} p50, through the gateway`, value: p50(result.viaGateway), unit: 'ms', baseline: { name: 'plain SELECT of the page', value: p50(result.plainSelect) } });
      }
    }
  } finally {
    await gateway?.stop();
    await catalog.end();
    const { closePools } = await import('../layers/core/db');
    await closePools();
    await dropDatabases(SERVER, prefix);
  }
  printTable(`Listings at scale: ${SIZES.join(' / ')} movies and as many showtimes (${ROUNDS} rounds of ${SECONDS} s each way, taking turns after a warm-up)`, rows);
});
