// The catalog's routes as the API description tells them (infra/openapi builds the document).
import { z } from 'zod';
import { day, instant, pageOf, refusal, uuid, type ApiDocs } from '../../layers/core/http/api-doc';

const tag = 'Programme';

export const movie = z
  .looseObject({
    id: uuid,
    title: z.string(),
    description: z.string(),
    genres: z.array(z.string()),
    durationMinutes: z.number().int(),
    rating: z.string().nullable(),
    releaseDate: day,
    posterUrl: z.string().nullable(),
    archivedAt: instant.nullable().describe('When an operator archived it (out of the listings); null while showing'),
  })
  .meta({ id: 'Movie' });

export const showtime = z
  .looseObject({
    id: uuid,
    movieId: uuid,
    movieTitle: z.string(),
    hallId: uuid,
    hallName: z.string(),
    startsAt: instant,
    endsAt: instant,
    prices: z.record(z.string(), z.number()).describe('Price per seat category, in cents'),
    currency: z.string(),
    status: z.enum(['scheduled', 'cancelled']),
  })
  .meta({ id: 'Showtime' });

export const hall = z
  .looseObject({
    id: uuid,
    name: z.string(),
    categories: z.record(z.string(), z.number()).describe('Seats per category'),
    seatCount: z.number().int(),
    focalPoint: z.looseObject({ row: z.string(), column: z.number().optional() }).nullable().describe('Where best-available seats are nearest to; null: the centre of the screen row'),
    archivedAt: instant.nullable(),
  })
  .meta({ id: 'Hall' });

const layoutSeat = z.looseObject({ seatId: z.string(), number: z.number().int(), category: z.string(), accessible: z.boolean(), price: z.number() }).meta({ id: 'LayoutSeat' });
export const seatLayout = z
  .looseObject({
    width: z.number().int(),
    rows: z.array(z.looseObject({ label: z.string(), cells: z.array(layoutSeat.nullable()) })),
    categories: z.array(z.looseObject({ name: z.string(), price: z.number() })),
  })
  .meta({ id: 'SeatLayout' });

const seatMapCell = z.looseObject({ seatId: z.string(), number: z.number().int(), category: z.string(), accessible: z.boolean(), price: z.number(), status: z.string() });
const seatMap = z.looseObject({ rows: z.array(z.looseObject({ label: z.string(), cells: z.array(seatMapCell.nullable()) })), counts: z.record(z.string(), z.number()) }).meta({ id: 'SeatMap' });

const clashes = refusal('It overlaps another showtime of the hall (turnaround included), or its movie or hall is archived (`conflict`; `details` lists the clashes)');

export const api: ApiDocs = {
  createMovie: { tag, summary: 'Add a movie to the programme', responses: { 201: { description: 'The movie', body: z.object({ movie }), headers: { location: 'The movie’s URL' } } } },
  listMovies: { tag, summary: 'The movies showing (search, genre, a day)', responses: { 200: { description: 'One page of movies', body: pageOf(movie) } } },
  upcomingMovies: { tag, summary: 'The movies coming soon', responses: { 200: { description: 'One page of movies', body: pageOf(movie) } } },
  getMovie: {
    tag,
    summary: 'A movie and its coming showtimes',
    responses: { 200: { description: 'The movie', body: z.object({ movie, showtimes: z.array(z.looseObject({ id: uuid, startsAt: instant, endsAt: instant })) }) }, 404: refusal('No such movie') },
  },
  updateMovie: { tag, summary: 'Change a movie', responses: { 200: { description: 'The movie as it is now', body: z.object({ movie }) }, 404: refusal('No such movie'), 409: refusal('The change is refused by what depends on it') } },
  deleteMovie: { tag, summary: 'Delete a movie that was never scheduled', responses: { 204: { description: 'Deleted' }, 404: refusal('No such movie'), 409: refusal('It has showtimes: archive it instead') } },
  archiveMovie: { tag, summary: 'Archive a movie (out of the listings, no new showtimes)', responses: { 200: { description: 'The movie', body: z.object({ movie }) }, 404: refusal('No such movie'), 409: refusal('It still has a showtime to come (named): cancel it first') } },
  createHall: { tag, summary: 'Add a hall with its seat layout', responses: { 201: { description: 'The hall', body: z.object({ hall }), headers: { location: 'The hall’s URL' } }, 409: refusal('A hall of that name exists') } },
  listHalls: { tag, summary: 'The halls', responses: { 200: { description: 'Every hall', body: z.object({ items: z.array(hall) }) } } },
  getHall: { tag, summary: 'A hall and its rows of seats', responses: { 200: { description: 'The hall', body: z.object({ hall: hall.extend({ rows: z.array(z.unknown()) }) }) }, 404: refusal('No such hall') } },
  deleteHall: { tag, summary: 'Delete a hall that was never scheduled', responses: { 204: { description: 'Deleted' }, 404: refusal('No such hall'), 409: refusal('It has showtimes: archive it instead') } },
  archiveHall: { tag, summary: 'Archive a hall (no new showtimes)', responses: { 200: { description: 'The hall', body: z.object({ hall }) }, 404: refusal('No such hall'), 409: refusal('It still has a showtime to come (named): cancel it first') } },
  scheduleShowtime: {
    tag,
    summary: 'Schedule a showtime of a movie in a hall',
    responses: { 201: { description: 'The showtime', body: z.object({ showtime }), headers: { location: 'The showtime’s URL' } }, 404: refusal('No such movie or hall'), 409: clashes, 422: refusal('The prices do not fit the hall’s categories, or it starts in the past') },
  },
  scheduleSeries: {
    tag,
    summary: 'Schedule a series of showtimes (days and times), all or none',
    responses: { 201: { description: 'The showtimes', body: z.object({ showtimes: z.array(showtime) }) }, 404: refusal('No such movie or hall'), 409: clashes, 422: refusal('The series is not one that can be scheduled') },
  },
  listShowtimes: { tag, summary: 'The showtimes (of a movie, a hall, a day)', responses: { 200: { description: 'One page of showtimes', body: pageOf(showtime) } } },
  getShowtime: { tag, summary: 'A showtime', responses: { 200: { description: 'The showtime', body: z.object({ showtime }) }, 404: refusal('No such showtime') } },
  cancelShowtime: {
    tag,
    summary: 'Cancel a showtime (its bookings are cancelled and refunded)',
    responses: { 200: { description: 'The cancelled showtime', body: z.object({ showtime }) }, 404: refusal('No such showtime'), 409: refusal('It has already started') },
  },
  seatMap: { tag, summary: 'A showtime and its seat map, as the catalog last heard of it', responses: { 200: { description: 'The showtime and its seat map', body: showtime.extend({ seatMap }) }, 404: refusal('No such showtime') } },
  showtimeLayout: {
    tag,
    summary: 'A showtime’s layout and prices (rarely changes: cache it with its ETag)',
    responses: {
      200: { description: 'The showtime and its layout', body: z.object({ showtime, layout: seatLayout }), headers: { etag: 'Send it back as If-None-Match' } },
      304: { description: 'Your copy (If-None-Match) is current' },
      404: refusal('No such showtime'),
    },
  },
  wishlist: { tag: 'Account', summary: 'The movies on my wishlist', responses: { 200: { description: 'The wishlist', body: z.object({ items: z.array(movie) }) } } },
  addToWishlist: {
    tag: 'Account',
    summary: 'Put a movie on my wishlist',
    responses: { 201: { description: 'Added', body: z.object({ movieId: uuid }) }, 204: { description: 'It was on it already' }, 404: refusal('No such movie') },
  },
  removeFromWishlist: { tag: 'Account', summary: 'Take a movie off my wishlist', responses: { 204: { description: 'Taken off' }, 404: refusal('It is not on my wishlist') } },
};
