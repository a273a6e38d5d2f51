// The one module that talks to the platform's HTTP API (same origin). Every call answers
// typed data or throws an ApiError carrying the server's own code, message and details.

import type { components, paths } from './api-schema';

// The shapes are the API description's (docs/openapi.json, its types generated into api-schema.ts).
type Schemas = components['schemas'];
/** The JSON that `method` on `path` answers with `status`. */
type Answer<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends { responses: infer R }
  ? S extends keyof R
    ? R[S] extends { content: { 'application/json': infer B } }
      ? B
      : undefined
    : never
  : never;
/** The JSON body that `method` on `path` takes. */
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type User = Schemas['User'];
export type Session = Schemas['SignIn'];
export type Movie = Schemas['Movie'];
export type Showtime = Schemas['Showtime'];
export type Page<T> = { items: T[]; page: number; pageSize: number; total: number };
export type LayoutSeat = Schemas['LayoutSeat'];
export type SeatLayout = Schemas['SeatLayout'];
export type Availability = Schemas['Availability'];
export type CartShowtime = Schemas['CartShowtime'];
export type Cart = Schemas['Cart'];
export type Checkout = Schemas['Checkout'];
export type Payment = Schemas['Payment'];
/** `nextAction` only while the payment is pending; `nextStep` says in words what can be done. */
export type PaymentStart = Schemas['PaymentStart'];
export type Booking = Schemas['Booking'];
export type ProviderSession = Answer<'/test-provider/sessions/{sessionId}', 'get'>;
export type Mail = Answer<'/dev/mailbox', 'get'>['mails'][number];
export type IdentityProvider = Answer<'/auth/oidc/providers', 'get'>['providers'][number];
export type AccountSession = Schemas['AccountSession'];

export interface Ticket { id: string; bookingId: string; reference: string; showtimeId: string; seat: string; code: string | null; qrSvg: string | null; keyId: number; validFrom: string; validUntil: string; status: 'valid' | 'revoked'; revokeReason: string | null }
export interface BookingTickets { booking: { id: string; reference: string | null; status: 'confirmed' | 'cancelled'; movieTitle: string; hallName: string; startsAt: string; seats: string[] }; tickets: Ticket[] }
export type DoorVerdict = 'admitted' | 'already-admitted' | 'revoked' | 'wrong-showtime' | 'not-yet-open' | 'closed' | 'not-a-ticket';
export interface Checkin { scanId: string; verdict: DoorVerdict; reason: string; ticket?: { id: string; seat: string; showtimeId: string; bookingId: string; reference: string | null }; admitted?: { at: string; deviceId: string }; conflict?: boolean; replayed?: boolean }
export interface Scan { code: string; deviceId: string; scanId: string; scannedAt: string; offline?: boolean; localVerdict?: DoorVerdict; showtimeId?: string }
export interface DoorManifest {
  showtime: { id: string; movieTitle: string; hallName: string; startsAt: string; status: string };
  generatedAt: string;
  keys: { keyId: number; publicKey: string }[];
  tickets: { id: string; seat: string; bookingId: string; reference: string | null }[];
  revoked: string[];
  admitted: { ticketId: string; deviceId: string; at: string }[];
}
export interface ShowtimeCheckins {
  showtimeId: string;
  counts: { tickets: number; admitted: number; scans: number; refused: number; conflicts: number };
  conflicts: { ticketId: string; seat: string; deviceId: string; firstDeviceId: string; firstAdmittedAt: string; scannedAt: string }[];
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: any) {
    super(message);
  }
}

let token: string | null = null;
/** The session token sent with every call (null: anonymous). */
export const setToken = (t: string | null) => void (token = t);

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      cache: 'no-store',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'We cannot reach the cinema right now. Check your connection and try again.');
  }
  if (res.status === 204 || res.status === 304) return undefined as T;
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const e = parsed?.error;
    throw new ApiError(res.status, e?.code ?? 'unknown', e?.message ?? `The cinema answered ${res.status}`, e?.details);
  }
  return parsed as T;
}

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined) as [string, string][]).toString();
  return s ? `?${s}` : '';
};

export const api = {
  register: (email: string, password: string, name: string) => call<Answer<'/auth/register', 'post', 201>>('POST', '/auth/register', { email, password, name } satisfies Body<'/auth/register', 'post'>),
  login: (email: string, password: string) => call<Session>('POST', '/auth/login', { email, password } satisfies Body<'/auth/login', 'post'>),
  logout: () => call<void>('POST', '/auth/logout'),
  me: () => call<Answer<'/auth/me', 'get'>>('GET', '/auth/me'),
  requestPasswordReset: (email: string) => call<Answer<'/auth/password-reset', 'post', 202>>('POST', '/auth/password-reset', { email } satisfies Body<'/auth/password-reset', 'post'>),
  resetPassword: (resetToken: string, newPassword: string) =>
    call<void>('POST', '/auth/password-reset/confirm', { token: resetToken, newPassword } satisfies Body<'/auth/password-reset/confirm', 'post'>),
  identityProviders: () => call<Answer<'/auth/oidc/providers', 'get'>>('GET', '/auth/oidc/providers'),
  /** The one-time code a provider sign-in brought back in the page's fragment, for our session. */
  exchangeSignIn: (code: string) => call<Session>('POST', '/auth/oidc/exchange', { code } satisfies Body<'/auth/oidc/exchange', 'post'>),
  sessions: () => call<Answer<'/auth/sessions', 'get'>>('GET', '/auth/sessions'),
  endSession: (id: string) => call<void>('DELETE', `/auth/sessions/${id}`),
  endOtherSessions: () => call<Answer<'/auth/sessions', 'delete'>>('DELETE', '/auth/sessions'),
  devMailbox: (to: string) => call<Answer<'/dev/mailbox', 'get'>>('GET', `/dev/mailbox${q({ to })}`),

  movies: (date?: string) => call<Answer<'/movies', 'get'>>('GET', `/movies${q({ date, pageSize: 100 })}`),
  showtimes: (date: string) => call<Answer<'/showtimes', 'get'>>('GET', `/showtimes${q({ date, pageSize: 100 })}`),
  layout: (showtimeId: string) => call<Answer<'/showtimes/{id}/layout', 'get'>>('GET', `/showtimes/${showtimeId}/layout`),
  /** undefined when `etag` is still current (304) */
  availability: async (showtimeId: string, etag?: string): Promise<Availability | undefined> =>
    call<Answer<'/showtimes/{id}/availability', 'get'> | undefined>('GET', `/showtimes/${showtimeId}/availability`, undefined, etag ? { 'if-none-match': etag } : {}),

  hold: (showtimeId: string, seats: string[]) => call<Answer<'/cart/holds', 'post', 201>>('POST', '/cart/holds', { showtimeId, seats } satisfies Body<'/cart/holds', 'post'>),
  /** the server picks the best `count` seats: which, and whether they are side by side */
  holdBest: (showtimeId: string, count: number, category?: string) =>
    call<Required<Answer<'/cart/holds', 'post', 201>>>('POST', '/cart/holds', { showtimeId, count, ...(category ? { category } : {}) } satisfies Body<'/cart/holds', 'post'>),
  release: (showtimeId: string, seatId: string) => call<void>('DELETE', `/cart/holds/${showtimeId}/${seatId}`),
  renew: () => call<Answer<'/cart/renew', 'post'>>('POST', '/cart/renew'),
  cart: () => call<Answer<'/cart', 'get'>>('GET', '/cart'),
  checkout: (showtimeId: string) => call<Answer<'/cart/checkout', 'post', 201>>('POST', '/cart/checkout', { showtimeId } satisfies Body<'/cart/checkout', 'post'>),
  startPayment: (checkoutId: string) => call<PaymentStart>('POST', '/payments', { checkoutId } satisfies Body<'/payments', 'post'>),
  payment: (id: string) => call<Answer<'/payments/{id}', 'get'>>('GET', `/payments/${id}`),
  payments: () => call<Answer<'/payments', 'get'>>('GET', '/payments?pageSize=100'),
  bookings: () => call<Answer<'/bookings', 'get'>>('GET', '/bookings?pageSize=100'),
  booking: (id: string) => call<Answer<'/bookings/{id}', 'get'>>('GET', `/bookings/${id}`),
  cancelBooking: (id: string) => call<Answer<'/bookings/{id}/cancel', 'post'>>('POST', `/bookings/${id}/cancel`),
  /** the booking's proof file (cinema-booking-proof/2): checked offline by `cinema proof verify` and the explorer */
  bookingProof: (id: string) => call<Answer<'/bookings/{id}/proof', 'get'>>('GET', `/bookings/${id}/proof`),
  /** the ledger cluster's genesis, public: what the explorer verifies against unless the auditor brings their own */
  ledgerGenesis: () => call<Answer<'/ledger/genesis', 'get'>>('GET', '/ledger/genesis'),
  bookingTickets: (id: string) => call<BookingTickets & Answer<'/bookings/{id}/tickets', 'get'>>('GET', `/bookings/${id}/tickets`),
  checkIn: (scan: Scan) => call<{ checkin: Checkin } & Answer<'/checkins', 'post'>>('POST', '/checkins', scan satisfies Body<'/checkins', 'post'>),
  doorManifest: (showtimeId: string) => call<{ manifest: DoorManifest } & Answer<'/showtimes/{id}/door-manifest', 'get'>>('GET', `/showtimes/${showtimeId}/door-manifest`),
  showtimeCheckins: (showtimeId: string) => call<ShowtimeCheckins & Answer<'/showtimes/{id}/checkins', 'get'>>('GET', `/showtimes/${showtimeId}/checkins`),

  providerSession: (sessionId: string) => call<ProviderSession>('GET', `/test-provider/sessions/${sessionId}`),
  providerPay: (sessionId: string, cardNumber: string) =>
    call<Answer<'/test-provider/sessions/{sessionId}/pay', 'post'>>('POST', `/test-provider/sessions/${sessionId}/pay`, { cardNumber } satisfies Body<'/test-provider/sessions/{sessionId}/pay', 'post'>),
};

/** Cents as the customer reads them: €15, €12.50. Formatting only; amounts are the server's. */
export function money(cents: number, currency: string | null | undefined): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency: currency ?? 'EUR', minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }).format(cents / 100);
}

// ---- the operator's console (admin) ----

export interface Hall { id: string; name: string; categories: Record<string, number>; seatCount: number; focalPoint: { row: string; column?: number } | null; archivedAt: string | null }
/** A hall's layout as the operator writes it: a cell is a category, `{category, accessible}`, or null for a gap or aisle. */
export type LayoutCell = null | string | { category: string; accessible?: boolean };
export interface LayoutInput { categories: Record<string, number>; rows: { label: string; seats: LayoutCell[] }[]; focalPoint?: { row: string; column?: number } }
export interface Clash { slot: { startsAt: string; endsAt: string }; showtime: { id: string; movieTitle: string; startsAt: string; endsAt: string } }
export interface Figures { capacity: number; sold: number; held: number; free: number; blocked: number; occupancy: number; gross: number; refunds: number; net: number; bookings: number; sales: number; checkedIn: number }
export interface ShowtimeFigures extends Figures { showtimeId: string; movieId: string; movieTitle: string; hallName: string; startsAt: string; day: string; status: 'scheduled' | 'cancelled'; currency: string }
export interface ShowtimesReport { from: string; to: string; timeZone: string; currency: string | null; showtimes: ShowtimeFigures[]; days: (Figures & { day: string; showtimes: number })[]; totals: Figures & { showtimes: number } }
export interface MoviesReport { from: string; to: string; currency: string | null; movies: (Figures & { movieId: string; movieTitle: string; showtimes: number })[]; totals: Figures }
export interface Reconciliation { checkedAt: string; bookings: number; payments: number; agree: boolean; disagreements: { kind: string; bookingId: string | null; paymentId: string; message: string }[]; settling: { message: string }[] }
export interface AccountRow { id: string; email: string; name: string; role: string; createdAt: string }

export const consoleApi = {
  createMovie: (movie: Body<'/movies', 'post'>) => call<{ movie: Movie } & Answer<'/movies', 'post', 201>>('POST', '/movies', movie satisfies Body<'/movies', 'post'>),
  updateMovie: (id: string, change: Body<'/movies/{id}', 'patch'>) => call<{ movie: Movie } & Answer<'/movies/{id}', 'patch'>>('PATCH', `/movies/${id}`, change satisfies Body<'/movies/{id}', 'patch'>),
  archiveMovie: (id: string) => call<{ movie: Movie } & Answer<'/movies/{id}/archive', 'post'>>('POST', `/movies/${id}/archive`),
  halls: () => call<{ items: Hall[] } & Answer<'/halls', 'get'>>('GET', '/halls'),
  createHall: (name: string, layout: LayoutInput) => call<{ hall: Hall } & Answer<'/halls', 'post', 201>>('POST', '/halls', { name, layout } satisfies Body<'/halls', 'post'>),
  archiveHall: (id: string) => call<{ hall: Hall } & Answer<'/halls/{id}/archive', 'post'>>('POST', `/halls/${id}/archive`),
  schedule: (movieId: string, hallId: string, startsAt: string) => call<{ showtime: Showtime } & Answer<'/showtimes', 'post', 201>>('POST', '/showtimes', { movieId, hallId, startsAt } satisfies Body<'/showtimes', 'post'>),
  scheduleSeries: (body: { movieId: string; hallId: string; from: string; to: string; times: string[] }) => call<{ showtimes: Showtime[] } & Answer<'/showtimes/series', 'post', 201>>('POST', '/showtimes/series', body satisfies Body<'/showtimes/series', 'post'>),
  cancelShowtime: (id: string) => call<{ showtime: Showtime } & Answer<'/showtimes/{id}', 'delete'>>('DELETE', `/showtimes/${id}`),
  showtimeBookings: (id: string, status?: 'confirmed' | 'cancelled') => call<Page<Booking>>('GET', `/showtimes/${id}/bookings${q({ status, pageSize: 1 })}`),
  setBlockedSeats: (id: string, seats: string[]) => call<Answer<'/showtimes/{id}/blocked-seats', 'put'>>('PUT', `/showtimes/${id}/blocked-seats`, { seats } satisfies Body<'/showtimes/{id}/blocked-seats', 'put'>),
  showtimesReport: (from: string, to = from) => call<ShowtimesReport & Answer<'/admin/reports/showtimes', 'get'>>('GET', `/admin/reports/showtimes${q({ from, to })}`),
  moviesReport: (from: string, to: string) => call<MoviesReport & Answer<'/admin/reports/movies', 'get'>>('GET', `/admin/reports/movies${q({ from, to })}`),
  reconciliation: () => call<Reconciliation & Answer<'/admin/reports/reconciliation', 'get'>>('GET', '/admin/reports/reconciliation'),
  /** the sales export as a file: its text and the name the server gave it */
  salesCsv: async (from: string, to = from) => {
    const res = await fetch(`/admin/reports/sales.csv${q({ from, to })}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) throw new ApiError(res.status, 'export-failed', `The export answered ${res.status}`);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'sales.csv';
    return { blob: await res.blob(), name };
  },
  users: (email?: string) => call<{ items: AccountRow[]; roles: string[] } & Answer<'/admin/users', 'get'>>('GET', `/admin/users${q({ email })}`),
  setRole: (id: string, role: Body<'/admin/users/{id}/role', 'put'>['role']) => call<{ user: AccountRow } & Answer<'/admin/users/{id}/role', 'put'>>('PUT', `/admin/users/${id}/role`, { role } satisfies Body<'/admin/users/{id}/role', 'put'>),
};
