// Steps of the customer's journey, shared by the event-flow tests.
import type { Api, TestStack } from './stack';
import { eventually } from './stack';

export const LAYOUT = {
  categories: { standard: 1000, premium: 1500 },
  rows: [
    { label: 'A', seats: ['standard', 'standard', 'standard', 'standard', null, 'standard', 'standard', 'standard', 'standard'] },
    { label: 'B', seats: ['standard', 'standard', 'standard', 'standard', null, 'standard', 'standard', 'standard', 'standard'] },
    { label: 'C', seats: ['premium', 'premium', 'premium', 'premium', null, 'premium', 'premium', 'premium', 'premium'] },
  ],
};

let counter = 0;

/** A hall, a movie and a showtime, and waits until booking has heard of it. */
export async function scheduleShowtime(stack: TestStack, admin: string, opts: { startsInMinutes?: number; layout?: unknown } = {}) {
  const tag = `${Date.now()}-${counter++}`;
  const hall = await stack.api('POST', '/halls', { token: admin, body: { name: `Hall ${tag}`, layout: opts.layout ?? LAYOUT } });
  const movie = await stack.api('POST', '/movies', { token: admin, body: { title: `Movie ${tag}`, durationMinutes: 90, releaseDate: '2026-01-01' } });
  const startsAt = new Date(Date.now() + (opts.startsInMinutes ?? 3 * 24 * 60) * 60_000).toISOString();
  const st = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: movie.body.movie.id, hallId: hall.body.hall.id, startsAt } });
  if (st.status !== 201) throw new Error(`schedule failed: ${st.status} ${JSON.stringify(st.body)}`);
  const showtimeId: string = st.body.showtime.id;
  await eventually(async () => ((await stack.db.pool('booking').query('SELECT 1 FROM showtimes WHERE id = $1', [showtimeId])).rowCount ? true : undefined), 15_000, 'booking to hear of the showtime');
  return { showtimeId, hallId: hall.body.hall.id as string, movieId: movie.body.movie.id as string };
}

/** Hold → checkout → payment → pay with a card. Returns what each step answered. */
export async function buy(api: Api, token: string, showtimeId: string, seats: string[], card = '4242424242424242') {
  const hold = await api('POST', '/cart/holds', { token, body: { showtimeId, seats } });
  if (hold.status !== 201) return { hold };
  const checkout = await api('POST', '/cart/checkout', { token, body: { showtimeId } });
  const payment = await api('POST', '/payments', { token, body: { checkoutId: checkout.body.checkout.id } });
  const pay = await api('POST', payment.body.nextAction.url, { body: { cardNumber: card } });
  return { hold, checkout, payment, pay, paymentId: payment.body.payment.id as string, checkoutId: checkout.body.checkout.id as string };
}

export async function bookingFor(stack: TestStack, paymentId: string) {
  return eventually(async () => (await stack.db.pool('booking').query('SELECT * FROM bookings WHERE payment_id = $1', [paymentId])).rows[0], 20_000, 'the booking');
}
