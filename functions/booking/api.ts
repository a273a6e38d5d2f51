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
    reference: z.string().nullable().describe('The booking reference printed on its tickets (K7Q-4MX); null for a booking confirmed before tickets were issued'),
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

const figures = {
  capacity: z.number().int(),
  sold: z.number().int(),
  held: z.number().int(),
  free: z.number().int(),
  blocked: z.number().int(),
  occupancy: z.number().describe('Sold of capacity, per cent'),
  gross: z.number(),
  refunds: z.number(),
  net: z.number(),
  checkedIn: z.number().int().describe('Tickets the door admitted'),
};
const reportRange = { from: z.string(), to: z.string(), timeZone: z.string() };
const showtimesReport = z
  .looseObject({
    ...reportRange,
    currency: z.string().nullable(),
    showtimes: z.array(z.looseObject({ showtimeId: uuid, movieId: uuid, movieTitle: z.string(), hallName: z.string(), startsAt: instant, day: z.string(), status: z.string(), currency: z.string(), ...figures })),
    days: z.array(z.looseObject({ day: z.string(), ...figures })),
    totals: z.looseObject({ showtimes: z.number().int(), ...figures }),
  })
  .meta({ id: 'ShowtimesReport' });

const ticket = z
  .looseObject({
    id: uuid,
    seat: seatId,
    reference: z.string(),
    code: z.string().nullable().describe('The signed ticket code (base45), what the QR code holds; null once revoked'),
    qrSvg: z.string().nullable().optional().describe('The QR code, as SVG; null once revoked'),
    keyId: z.number().int(),
    validFrom: instant,
    validUntil: instant,
    status: z.enum(['valid', 'revoked']),
    revokeReason: z.string().nullable(),
    replaces: uuid.nullable(),
  })
  .meta({ id: 'Ticket' });

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
  renewHolds: { tag: 'Cart', summary: 'Renew my holds (up to their cap)', responses: { 200: { description: 'My cart', body: z.object({ cart }) }, 404: refusal('I hold no live seat (of the showtime named)'), 422: refusal('The holds reached their cap') } },
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

  reportShowtimes: {
    tag: 'Operators',
    summary: 'The numbers of each showtime and each day of a range (seats from booking, money from payment)',
    responses: { 200: { description: 'Each showtime, each day and the range', body: showtimesReport }, 422: refusal('The range is too long') },
  },
  reportMovies: {
    tag: 'Operators',
    summary: 'The numbers of each movie over a range of days',
    responses: { 200: { description: 'Each movie and the range', body: z.looseObject({ ...reportRange, currency: z.string().nullable(), movies: z.array(z.looseObject({ movieId: uuid, movieTitle: z.string(), showtimes: z.number().int(), ...figures })), totals: z.looseObject(figures) }) }, 422: refusal('The range is too long') },
  },
  reportSalesCsv: {
    tag: 'Operators',
    summary: 'The sales of a range of days as CSV, one row per ticket (opens in a spreadsheet)',
    responses: { 200: { description: 'The CSV file (header row, a row per seat sold)', content: 'text/csv', headers: { 'content-disposition': 'attachment; filename="sales-<from>-to-<to>.csv"' } }, 422: refusal('More sales than one export carries: ask for fewer days') },
  },
  reportReconciliation: {
    tag: 'Operators',
    summary: 'Where booking and payment disagree (there should be nowhere)',
    responses: {
      200: {
        description: 'Both domains read; every disagreement named',
        body: z.looseObject({
          checkedAt: instant,
          bookings: z.number().int(),
          payments: z.number().int(),
          agree: z.boolean(),
          disagreements: z.array(z.looseObject({ kind: z.string(), bookingId: uuid.nullable(), paymentId: uuid, showtimeId: uuid, message: z.string() })),
          settling: z.array(z.looseObject({})).describe('What events may still be carrying (the last two minutes): not a disagreement yet'),
        }),
      },
    },
  },
  ticketKeys: {
    tag: 'Tickets',
    summary: 'The cinema’s ticket-issuing public keys: a ticket code verifies with these alone',
    responses: { 200: { description: 'The keys, retired ones too (their tickets still verify)', body: z.looseObject({ algorithm: z.string(), signingKeyId: z.number().int(), keys: z.array(z.looseObject({ keyId: z.number().int(), publicKey: z.string() })) }) } },
  },
  bookingTickets: {
    tag: 'Tickets',
    summary: 'My booking’s tickets: one per seat, its code and its QR code',
    responses: { 200: { description: 'The booking and its tickets', body: z.looseObject({ booking: z.looseObject({ id: uuid, reference: z.string().nullable(), status: z.string() }), tickets: z.array(ticket) }) }, 404: refusal('No such booking of mine') },
  },
  reissueTicket: {
    tag: 'Tickets',
    summary: 'A new code for a seat’s ticket (the old one is revoked)',
    responses: { 201: { description: 'The new ticket', body: z.object({ ticket }) }, 404: refusal('No such ticket of my booking'), 409: refusal('The booking is cancelled, or the ticket revoked or already admitted') },
  },
  checkIn: {
    tag: 'Door',
    summary: 'A door device’s scan, live or from its offline journal: a verdict for whatever the code holds',
    description: 'The same scanId counts once however often it is sent; a ticket is admitted once, whatever the concurrency; an offline admission of a ticket another device let in is recorded as a conflict.',
    responses: {
      200: {
        description: 'The verdict',
        body: z.object({
          checkin: z.looseObject({
            scanId: z.string(),
            verdict: z.enum(['admitted', 'already-admitted', 'revoked', 'wrong-showtime', 'not-yet-open', 'closed', 'not-a-ticket']),
            reason: z.string(),
            ticket: z.looseObject({ id: uuid, seat: seatId, showtimeId: uuid, bookingId: uuid, reference: z.string().nullable() }).optional(),
            admitted: z.looseObject({ at: instant, deviceId: z.string() }).optional(),
            conflict: z.boolean().optional(),
            replayed: z.boolean().optional(),
          }),
        }),
      },
    },
  },
  showtimeCheckins: {
    tag: 'Door',
    summary: 'A showtime’s check-ins: counts, scans and conflicts',
    responses: { 200: { description: 'The check-ins', body: z.looseObject({ counts: z.looseObject({ tickets: z.number().int(), admitted: z.number().int(), scans: z.number().int(), refused: z.number().int(), conflicts: z.number().int() }), scans: z.array(z.looseObject({})), conflicts: z.array(z.looseObject({})) }) }, 404: noShowtime },
  },
  doorManifest: {
    tag: 'Door',
    summary: 'What a door device needs to check a showtime’s tickets offline',
    responses: {
      200: {
        description: 'The manifest: keys, valid tickets, revocations, admissions so far',
        body: z.object({ manifest: z.looseObject({ showtime: z.looseObject({ id: uuid }), generatedAt: instant, keys: z.array(z.looseObject({ keyId: z.number().int(), publicKey: z.string() })), tickets: z.array(z.looseObject({ id: uuid, seat: seatId })), revoked: z.array(z.string()), admitted: z.array(z.looseObject({ ticketId: uuid, deviceId: z.string(), at: instant })) }) }),
      },
      404: noShowtime,
    },
  },
};
