// Booking's routes as the API description tells them (infra/openapi builds the document).
import { z } from 'zod';
import { instant, pageOf, refusal, uuid, type ApiDocs } from '../../layers/core/http/api-doc';

const seatId = z.string().describe('A seat id, row and number: C5');

const cartShowtime = z
  .looseObject({
    showtimeId: uuid,
    movieTitle: z.string(),
    hallName: z.string(),
    startsAt: instant,
    currency: z.string(),
    seats: z.array(z.looseObject({ seatId, category: z.string(), price: z.number(), expiresAt: instant })),
    subtotal: z.number(),
    expiresAt: instant,
  })
  .meta({ id: 'CartShowtime' });
export const cart = z.looseObject({ showtimes: z.array(cartShowtime), total: z.number(), currency: z.string().nullable() }).meta({ id: 'Cart', description: 'The seats I hold, per showtime, until they expire' });

export const checkout = z
  .looseObject({ id: uuid, showtimeId: uuid, seats: z.array(seatId), amount: z.number(), currency: z.string(), status: z.string(), holdExpiresAt: instant.nullable() })
  .meta({ id: 'Checkout', description: 'A showtime’s held seats and their amount, fixed for payment' });

export const booking = z
  .looseObject({
    id: uuid,
    showtimeId: uuid,
    movieTitle: z.string(),
    hallName: z.string(),
    startsAt: instant,
    paymentId: uuid,
    seats: z.array(seatId),
    amount: z.number(),
    currency: z.string(),
    status: z.enum(['confirmed', 'cancelled']),
    createdAt: instant,
    cancelledAt: instant.nullable(),
    cancelReason: z.string().nullable(),
  })
  .meta({ id: 'Booking' });

const customerBooking = booking.extend({ customer: z.looseObject({ email: z.string(), name: z.string() }).nullable() }).meta({ id: 'CustomerBooking' });

export const availability = z
  .looseObject({
    showtimeId: uuid,
    version: z.string(),
    bookable: z.boolean(),
    asOf: instant,
    held: z.array(seatId),
    sold: z.array(seatId),
    blocked: z.array(seatId),
    mine: z.array(z.looseObject({ seatId, expiresAt: instant })),
  })
  .meta({ id: 'Availability', description: 'The seats of a showtime that are not free, from the arbiter itself' });

const noShowtime = refusal('No such showtime');
const holdRefusals = {
  404: noShowtime,
  409: refusal('A seat is held by someone else or sold (`conflict`; `details` names them)'),
  410: refusal('The showtime is cancelled or has started (`gone`)'),
  422: refusal('A rule of holding is broken: too many seats, a seat not in the hall, a single seat stranded (`unprocessable`)'),
};

export const api: ApiDocs = {
  holdSeats: {
    tag: 'Cart',
    summary: 'Hold seats of a showtime: name them, or ask for the best `count`',
    description: 'A hold lasts a few minutes (renew it up to a cap). Send either `seats`, or `count` (with `category`, `accessible`) and the server picks the best seats in one atomic step.',
    responses: {
      201: { description: 'Held: my cart (with `held` when the server chose the seats)', body: z.looseObject({ cart, held: z.looseObject({ seats: z.array(seatId), together: z.boolean() }).optional() }) },
      ...holdRefusals,
    },
  },
  releaseSeat: { tag: 'Cart', summary: 'Let go of a held seat', responses: { 204: { description: 'Let go' }, 404: refusal('I hold no such seat') } },
  renewHolds: { tag: 'Cart', summary: 'Renew my holds (up to their cap)', responses: { 200: { description: 'My cart', body: z.object({ cart }) }, 422: refusal('The holds reached their cap') } },
  getCart: { tag: 'Cart', summary: 'My cart: the seats I hold', responses: { 200: { description: 'My cart', body: z.object({ cart }) } } },
  checkoutCart: {
    tag: 'Cart',
    summary: 'Check out a showtime’s held seats (its amount is fixed from the server’s own cart)',
    responses: {
      200: { description: 'The checkout already made for these holds', body: z.object({ checkout }) },
      201: { description: 'A new checkout', body: z.object({ checkout }) },
      404: refusal('Nothing held to check out'),
      409: refusal('The holds changed or expired meanwhile'),
      422: refusal('Holds of several showtimes: name one'),
    },
  },
  listBookings: { tag: 'Bookings', summary: 'My bookings, newest first', responses: { 200: { description: 'One page of bookings', body: pageOf(booking) } } },
  searchBookings: { tag: 'Operators', summary: 'Every customer’s bookings (by showtime, customer email, reference, status)', responses: { 200: { description: 'One page of bookings', body: pageOf(customerBooking) } } },
  showtimeBookings: { tag: 'Operators', summary: 'A showtime’s bookings', responses: { 200: { description: 'One page of bookings', body: pageOf(customerBooking) }, 404: noShowtime } },
  bookingStats: {
    tag: 'Bookings',
    summary: 'My numbers: bookings, seats, money spent',
    responses: { 200: { description: 'My numbers', body: z.object({ stats: z.looseObject({ bookings: z.number(), seats: z.number(), totalSpent: z.number(), cancelled: z.number(), currency: z.string().nullable() }) }) } },
  },
  getBooking: { tag: 'Bookings', summary: 'One of my bookings', responses: { 200: { description: 'The booking', body: z.object({ booking }) }, 404: refusal('No such booking of mine') } },
  cancelBooking: {
    tag: 'Bookings',
    summary: 'Cancel my booking (its payment is refunded)',
    responses: { 200: { description: 'The cancelled booking', body: z.object({ booking }) }, 404: refusal('No such booking of mine'), 409: refusal('It is cancelled already'), 422: refusal('Too close to the showtime to cancel') },
  },
  showtimeAvailability: {
    tag: 'Programme',
    summary: 'Which seats of a showtime are taken, live (signed in: which are mine)',
    responses: {
      200: { description: 'The availability', body: availability, headers: { etag: 'Its version: send it back as If-None-Match' } },
      304: { description: 'Your version (If-None-Match) is current' },
      404: noShowtime,
    },
  },
  setBlockedSeats: {
    tag: 'Operators',
    summary: 'Block seats of a showtime (nobody can hold them)',
    responses: { 200: { description: 'The blocked seats', body: z.looseObject({ showtimeId: uuid, blocked: z.array(seatId) }) }, 404: noShowtime, 409: refusal('A seat to block is held or sold'), 422: refusal('A seat is not in the hall') },
  },
  setSeatingRules: {
    tag: 'Operators',
    summary: 'A showtime’s seating rules (no single seat stranded), or back to the default',
    responses: { 200: { description: 'The rules in force', body: z.looseObject({ showtimeId: uuid, noSingleSeats: z.boolean(), isDefault: z.boolean() }) }, 404: noShowtime },
  },
};
