// The operator's numbers. Booking owns the seats and the sales (its claims and bookings);
// payment owns the money (what was taken and given back), asked for through the
// MoneySource port. Each figure comes from the domain that owns it, joined by showtime id.
import type { Queryable } from '../../layers/core/db';
import type { ShowtimeMoney, TakenPayment } from '../../layers/contracts/calls';

export interface ReportRange {
  /** inclusive days, YYYY-MM-DD, in the cinema's time zone */
  from: string;
  to: string;
  timeZone: string;
}

/** What payment is asked for: the money of showtimes, and every payment that took money. */
export interface MoneySource {
  moneyOf(showtimeIds: string[]): Promise<ShowtimeMoney[]>;
  takenPayments(): Promise<TakenPayment[]>;
}

/** The figures every level of the report has (a showtime, a day, a movie, the range). */
export interface Figures {
  capacity: number;
  sold: number;
  /** seats in a live hold (an expired hold nobody took over is free) */
  held: number;
  free: number;
  /** the operator's house or broken seats */
  blocked: number;
  /** sold of capacity, in per cent with one decimal */
  occupancy: number;
  /** money taken (minor units): payments that succeeded, refunded since or not */
  gross: number;
  refunds: number;
  net: number;
  /** confirmed bookings, and what booking sold them for (net agrees with it when reconciled) */
  bookings: number;
  sales: number;
  /** tickets the door admitted (online or from an offline device's journal) */
  checkedIn: number;
}

export interface ShowtimeFigures extends Figures {
  showtimeId: string;
  movieId: string;
  movieTitle: string;
  hallName: string;
  startsAt: string;
  day: string;
  status: 'scheduled' | 'cancelled';
  currency: string;
}

interface SeatCounts {
  showtimeId: string;
  movieId: string;
  movieTitle: string;
  hallName: string;
  startsAt: string;
  day: string;
  status: 'scheduled' | 'cancelled';
  currency: string;
  capacity: number;
  sold: number;
  held: number;
  blocked: number;
  bookings: number;
  sales: number;
  checkedIn: number;
}

const inRange = `s.starts_at >= ($1::date)::timestamp AT TIME ZONE $3 AND s.starts_at < ($2::date + 1)::timestamp AT TIME ZONE $3`;

/** Booking's seats and sales of the showtimes starting in the range, one row each. */
export async function seatCounts(db: Queryable, range: ReportRange): Promise<SeatCounts[]> {
  const { rows } = await db.query(
    `SELECT s.id, s.movie_id, s.movie_title, s.hall_name, s.starts_at, s.status, s.currency,
            to_char(s.starts_at AT TIME ZONE $3, 'YYYY-MM-DD') AS day,
            (SELECT count(*) FROM showtime_seats ss WHERE ss.showtime_id = s.id) AS capacity,
            c.sold, c.held, c.blocked, b.bookings, b.sales,
            (SELECT count(*) FROM admissions a WHERE a.showtime_id = s.id) AS checked_in
       FROM showtimes s
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE status = 'sold') AS sold,
                count(*) FILTER (WHERE status = 'held' AND expires_at > now()) AS held,
                count(*) FILTER (WHERE status = 'blocked') AS blocked
           FROM seat_claims WHERE showtime_id = s.id) c
       CROSS JOIN LATERAL (
         SELECT count(*) AS bookings, coalesce(sum(amount), 0) AS sales
           FROM bookings WHERE showtime_id = s.id AND status = 'confirmed') b
      WHERE ${inRange}
      ORDER BY s.starts_at, s.hall_name, s.id`,
    [range.from, range.to, range.timeZone],
  );
  return rows.map((r) => ({
    showtimeId: r.id,
    movieId: r.movie_id,
    movieTitle: r.movie_title,
    hallName: r.hall_name,
    startsAt: r.starts_at.toISOString(),
    day: r.day,
    status: r.status,
    currency: r.currency,
    capacity: Number(r.capacity),
    sold: Number(r.sold),
    held: Number(r.held),
    blocked: Number(r.blocked),
    bookings: Number(r.bookings),
    sales: Number(r.sales),
    checkedIn: Number(r.checked_in),
  }));
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/** A showtime's figures: booking's seats joined with payment's money. A cancelled showtime offers no seats. */
export function showtimeFigures(seats: SeatCounts, money: ShowtimeMoney | undefined): ShowtimeFigures {
  const capacity = seats.status === 'cancelled' ? 0 : seats.capacity;
  const gross = money?.gross ?? 0;
  const refunds = money?.refunds ?? 0;
  return {
    ...seats,
    capacity,
    free: Math.max(0, capacity - seats.sold - seats.held - seats.blocked),
    occupancy: percent(seats.sold, capacity),
    gross,
    refunds,
    net: gross - refunds,
  };
}

/** The figures of several showtimes together. */
export function sumFigures(items: Figures[]): Figures {
  const sum = (k: keyof Figures) => items.reduce((n, f) => n + f[k], 0);
  const capacity = sum('capacity');
  const sold = sum('sold');
  return {
    capacity,
    sold,
    held: sum('held'),
    free: sum('free'),
    blocked: sum('blocked'),
    occupancy: percent(sold, capacity),
    gross: sum('gross'),
    refunds: sum('refunds'),
    net: sum('net'),
    bookings: sum('bookings'),
    sales: sum('sales'),
    checkedIn: sum('checkedIn'),
  };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const t of items) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  return groups;
}

export async function showtimesReport(db: Queryable, money: MoneySource, range: ReportRange) {
  const seats = await seatCounts(db, range);
  const byShowtime = new Map((await money.moneyOf(seats.map((s) => s.showtimeId))).map((m) => [m.showtimeId, m]));
  const showtimes = seats.map((s) => showtimeFigures(s, byShowtime.get(s.showtimeId)));
  const days = [...groupBy(showtimes, (s) => s.day)].map(([day, items]) => ({ day, showtimes: items.length, ...sumFigures(items) }));
  return { from: range.from, to: range.to, timeZone: range.timeZone, currency: showtimes[0]?.currency ?? null, showtimes, days, totals: { showtimes: showtimes.length, ...sumFigures(showtimes) } };
}

export async function moviesReport(db: Queryable, money: MoneySource, range: ReportRange) {
  const { showtimes, totals, currency } = await showtimesReport(db, money, range);
  const movies = [...groupBy(showtimes, (s) => s.movieId)]
    .map(([movieId, items]) => ({ movieId, movieTitle: items[0].movieTitle, showtimes: items.length, ...sumFigures(items) }))
    .sort((a, b) => b.gross - a.gross || a.movieTitle.localeCompare(b.movieTitle));
  return { from: range.from, to: range.to, timeZone: range.timeZone, currency, movies, totals };
}

// ---- the sales export: one row per ticket of every booking of the range's showtimes ----

const CSV_COLUMNS = ['reference', 'booking_id', 'status', 'showtime_id', 'day', 'starts_at', 'movie', 'hall', 'seat', 'row', 'number', 'category', 'price', 'currency', 'booked_at', 'cancelled_at'] as const;

/** A field as RFC 4180 writes it; one a spreadsheet would read as a formula is kept as text. */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const money = (minor: number) => (minor / 100).toFixed(2);

/** Sales as CSV: a header row, then one row per seat of each booking (a cancelled one says so). */
export async function salesCsv(db: Queryable, range: ReportRange): Promise<string> {
  const { rows } = await db.query(
    `SELECT b.id, b.status, b.showtime_id, b.currency, b.created_at, b.cancelled_at, seat.id AS seat,
            to_char(s.starts_at AT TIME ZONE $3, 'YYYY-MM-DD') AS day,
            to_char(s.starts_at AT TIME ZONE $3, 'YYYY-MM-DD"T"HH24:MI') AS starts_local,
            s.movie_title, s.hall_name, ss.category,
            coalesce(c.price, ss.price) AS price
       FROM bookings b
       JOIN showtimes s ON s.id = b.showtime_id
       CROSS JOIN LATERAL unnest(b.seats) AS seat(id)
       LEFT JOIN showtime_seats ss ON ss.showtime_id = b.showtime_id AND ss.seat_id = seat.id
       LEFT JOIN seat_claims c ON c.showtime_id = b.showtime_id AND c.seat_id = seat.id AND c.booking_id = b.id
      WHERE ${inRange}
      ORDER BY s.starts_at, b.created_at, b.id, seat.id`,
    [range.from, range.to, range.timeZone],
  );
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const [, row, number] = /^([A-Z]+)([0-9]+)$/.exec(r.seat) ?? [null, r.seat, ''];
    lines.push(
      [
        r.id.slice(0, 8).toUpperCase(),
        r.id,
        r.status,
        r.showtime_id,
        r.day,
        r.starts_local,
        r.movie_title,
        r.hall_name,
        r.seat,
        row,
        number,
        r.category ?? '',
        money(Number(r.price)),
        r.currency,
        r.created_at.toISOString(),
        r.cancelled_at?.toISOString() ?? null,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

// ---- reconciliation: where booking's bookings and payment's payments disagree ----

export interface BookingForReconciliation {
  id: string;
  paymentId: string;
  checkoutId: string;
  showtimeId: string;
  amount: number;
  currency: string;
  status: 'confirmed' | 'cancelled';
  createdAt: string;
  cancelledAt: string | null;
}

export interface Disagreement {
  kind: 'booking-without-payment' | 'booking-payment-refunded' | 'amount-differs' | 'cancelled-not-refunded' | 'refund-differs' | 'payment-without-booking';
  bookingId: string | null;
  paymentId: string;
  showtimeId: string;
  message: string;
}

/**
 * Each confirmed booking has a succeeded payment of the same amount; each cancelled one a
 * refund of its amount; each succeeded payment a confirmed booking, and a refunded one a
 * cancelled booking or a checkout booking rejected. What events are still carrying (a payment
 * settled moments ago, a cancellation being refunded) is `settling`, not a disagreement.
 */
export function reconcile(bookings: BookingForReconciliation[], rejectedCheckouts: ReadonlySet<string>, payments: TakenPayment[], now: number, graceMs: number) {
  const paymentById = new Map(payments.map((p) => [p.id, p]));
  const bookingByPayment = new Map(bookings.map((b) => [b.paymentId, b]));
  const disagreements: Disagreement[] = [];
  const settling: Disagreement[] = [];
  const recent = (iso: string | null) => iso !== null && now - Date.parse(iso) < graceMs;
  const money = (n: number, c: string) => `${(n / 100).toFixed(2)} ${c}`;

  for (const b of bookings) {
    const p = paymentById.get(b.paymentId);
    const about = { bookingId: b.id, paymentId: b.paymentId, showtimeId: b.showtimeId };
    if (!p) {
      // a payment that succeeded after payment's answer was read, and was booked before booking's
      (recent(b.createdAt) ? settling : disagreements).push({ kind: 'booking-without-payment', ...about, message: `booking ${b.id} (${b.status}) names payment ${b.paymentId}, which payment has not taken` });
      continue;
    }
    if (p.amount !== b.amount || p.currency !== b.currency) {
      disagreements.push({ kind: 'amount-differs', ...about, message: `booking ${b.id} is for ${money(b.amount, b.currency)}, its payment took ${money(p.amount, p.currency)}` });
    }
    if (b.status === 'confirmed' && p.status === 'refunded') {
      disagreements.push({ kind: 'booking-payment-refunded', ...about, message: `booking ${b.id} is confirmed, but its payment was refunded` });
    }
    if (b.status === 'cancelled' && p.status === 'succeeded') {
      (recent(b.cancelledAt) ? settling : disagreements).push({ kind: 'cancelled-not-refunded', ...about, message: `booking ${b.id} was cancelled, but its payment is not refunded` });
    }
  }
  for (const p of payments) {
    const b = bookingByPayment.get(p.id);
    const about = { bookingId: b?.id ?? null, paymentId: p.id, showtimeId: p.showtimeId };
    if (p.refundAmount !== null && p.refundAmount !== p.amount) {
      disagreements.push({ kind: 'refund-differs', ...about, message: `payment ${p.id} took ${money(p.amount, p.currency)} and refunded ${money(p.refundAmount, p.currency)}` });
    }
    if (b) continue;
    // no booking: fine only when booking rejected the checkout and the money went back
    if (p.status === 'refunded' && rejectedCheckouts.has(p.checkoutId)) continue;
    const message =
      p.status === 'refunded' ? `payment ${p.id} was refunded, but booking neither booked nor rejected its checkout ${p.checkoutId}` : `payment ${p.id} took ${money(p.amount, p.currency)}, but booking has no booking for it`;
    (p.status === 'succeeded' && recent(p.updatedAt) ? settling : disagreements).push({ kind: 'payment-without-booking', ...about, message });
  }
  return { bookings: bookings.length, payments: payments.length, agree: disagreements.length === 0, disagreements, settling };
}

export async function reconciliationReport(db: Queryable, money: MoneySource, graceMs: number) {
  // payment's first: a booking made after it was read has its payment in what was read
  const payments = await money.takenPayments();
  const { rows } = await db.query(`SELECT id, payment_id, checkout_id, showtime_id, amount, currency, status, created_at, cancelled_at FROM bookings`);
  const rejected = (await db.query(`SELECT id FROM checkouts WHERE status = 'rejected'`)).rows.map((r) => r.id);
  const bookings = rows.map(
    (r): BookingForReconciliation => ({
      id: r.id,
      paymentId: r.payment_id,
      checkoutId: r.checkout_id,
      showtimeId: r.showtime_id,
      amount: r.amount,
      currency: r.currency,
      status: r.status,
      createdAt: r.created_at.toISOString(),
      cancelledAt: r.cancelled_at?.toISOString() ?? null,
    }),
  );
  return { checkedAt: new Date().toISOString(), ...reconcile(bookings, new Set(rejected), payments, Date.now(), graceMs) };
}
