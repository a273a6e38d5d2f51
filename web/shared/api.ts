// The one module that talks to the platform's HTTP API (same origin). Every call answers
// typed data or throws an ApiError carrying the server's own code, message and details.

export interface User { id: string; email: string; name: string; role: 'customer' | 'admin' | 'door' }
export interface Session { token: string; expiresAt: string; user: User }
export interface Movie { id: string; title: string; description: string; genres: string[]; durationMinutes: number; rating: string | null; releaseDate: string; posterUrl: string | null }
export interface Showtime { id: string; movieId: string; movieTitle: string; hallId: string; hallName: string; startsAt: string; endsAt: string; prices: Record<string, number>; currency: string; status: 'scheduled' | 'cancelled' }
export interface Page<T> { items: T[]; page: number; pageSize: number; total: number }
export interface LayoutSeat { seatId: string; number: number; category: string; accessible: boolean; price: number }
export interface SeatLayout { width: number; rows: { label: string; cells: (LayoutSeat | null)[] }[]; categories: { name: string; price: number }[] }
export interface Availability { showtimeId: string; version: string; bookable: boolean; asOf: string; held: string[]; sold: string[]; blocked: string[]; mine: { seatId: string; expiresAt: string }[] }
export interface CartShowtime { showtimeId: string; movieTitle: string; hallName: string; startsAt: string; currency: string; seats: { seatId: string; category: string; price: number; expiresAt: string }[]; subtotal: number; expiresAt: string }
export interface Cart { showtimes: CartShowtime[]; total: number; currency: string | null }
export interface Checkout { id: string; showtimeId: string; seats: string[]; amount: number; currency: string; status: string; holdExpiresAt: string | null }
export interface Payment { id: string; checkoutId: string; showtimeId: string; seats: string[]; amount: number; currency: string; status: 'pending' | 'succeeded' | 'failed' | 'refunded'; failureReason: string | null; refund: { id: string; amount: number; reason: string; refundedAt: string } | null; providerSessionId: string }
/** `nextAction` only while the payment is pending; `nextStep` says in words what can be done. */
export interface PaymentStart { payment: Payment; nextAction: { type: string; url: string; pageUrl?: string; testCards: string[] } | null; nextStep: { canPay: boolean; message: string } }
export interface Booking { id: string; reference: string | null; showtimeId: string; movieTitle: string; hallName: string; startsAt: string; paymentId: string; seats: string[]; amount: number; currency: string; status: 'confirmed' | 'cancelled'; createdAt: string; cancelledAt: string | null; cancelReason: string | null }
export interface ProviderSession { sessionId: string; amount: number; currency: string; status: 'open' | 'paid' | 'declined' | 'refunded'; testCards: { number: string; outcome: string }[] }
export interface Mail { subject: string; body: string; sentAt: string }
export interface IdentityProvider { id: string; name: string; start: string }
export interface AccountSession { id: string; signedInAt: string; expiresAt: string; clientIp: string | null; userAgent: string | null; signedInWith: string; current: boolean }

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
  register: (email: string, password: string, name: string) => call<{ user: User }>('POST', '/auth/register', { email, password, name }),
  login: (email: string, password: string) => call<Session>('POST', '/auth/login', { email, password }),
  logout: () => call<void>('POST', '/auth/logout'),
  me: () => call<{ user: User }>('GET', '/auth/me'),
  requestPasswordReset: (email: string) => call<{ message: string }>('POST', '/auth/password-reset', { email }),
  resetPassword: (resetToken: string, newPassword: string) => call<void>('POST', '/auth/password-reset/confirm', { token: resetToken, newPassword }),
  identityProviders: () => call<{ providers: IdentityProvider[] }>('GET', '/auth/oidc/providers'),
  /** The one-time code a provider sign-in brought back in the page's fragment, for our session. */
  exchangeSignIn: (code: string) => call<Session>('POST', '/auth/oidc/exchange', { code }),
  sessions: () => call<{ sessions: AccountSession[] }>('GET', '/auth/sessions'),
  endSession: (id: string) => call<void>('DELETE', `/auth/sessions/${id}`),
  endOtherSessions: () => call<{ ended: number }>('DELETE', '/auth/sessions'),
  devMailbox: (to: string) => call<{ to: string; mails: Mail[] }>('GET', `/dev/mailbox${q({ to })}`),

  movies: (date?: string) => call<Page<Movie>>('GET', `/movies${q({ date, pageSize: 100 })}`),
  showtimes: (date: string) => call<Page<Showtime>>('GET', `/showtimes${q({ date, pageSize: 100 })}`),
  layout: (showtimeId: string) => call<{ showtime: Showtime; layout: SeatLayout }>('GET', `/showtimes/${showtimeId}/layout`),
  /** undefined when `etag` is still current (304) */
  availability: async (showtimeId: string, etag?: string): Promise<Availability | undefined> =>
    call<Availability | undefined>('GET', `/showtimes/${showtimeId}/availability`, undefined, etag ? { 'if-none-match': etag } : {}),

  hold: (showtimeId: string, seats: string[]) => call<{ cart: Cart }>('POST', '/cart/holds', { showtimeId, seats }),
  /** the server picks the best `count` seats: which, and whether they are side by side */
  holdBest: (showtimeId: string, count: number, category?: string) =>
    call<{ cart: Cart; held: { seats: string[]; together: boolean } }>('POST', '/cart/holds', { showtimeId, count, ...(category ? { category } : {}) }),
  release: (showtimeId: string, seatId: string) => call<void>('DELETE', `/cart/holds/${showtimeId}/${seatId}`),
  renew: () => call<{ cart: Cart }>('POST', '/cart/renew'),
  cart: () => call<{ cart: Cart }>('GET', '/cart'),
  checkout: (showtimeId: string) => call<{ checkout: Checkout }>('POST', '/cart/checkout', { showtimeId }),
  startPayment: (checkoutId: string) => call<PaymentStart>('POST', '/payments', { checkoutId }),
  payment: (id: string) => call<{ payment: Payment }>('GET', `/payments/${id}`),
  payments: () => call<Page<Payment>>('GET', '/payments?pageSize=100'),
  bookings: () => call<Page<Booking>>('GET', '/bookings?pageSize=100'),
  booking: (id: string) => call<{ booking: Booking }>('GET', `/bookings/${id}`),
  cancelBooking: (id: string) => call<{ booking: Booking }>('POST', `/bookings/${id}/cancel`),
  /** the booking's proof file (cinema-booking-proof/2): checked offline by `cinema proof verify` and the explorer */
  bookingProof: (id: string) => call<unknown>('GET', `/bookings/${id}/proof`),
  /** the ledger cluster's genesis, public: what the explorer verifies against unless the auditor brings their own */
  ledgerGenesis: () => call<unknown>('GET', '/ledger/genesis'),
  bookingTickets: (id: string) => call<BookingTickets>('GET', `/bookings/${id}/tickets`),
  checkIn: (scan: Scan) => call<{ checkin: Checkin }>('POST', '/checkins', scan),
  doorManifest: (showtimeId: string) => call<{ manifest: DoorManifest }>('GET', `/showtimes/${showtimeId}/door-manifest`),
  showtimeCheckins: (showtimeId: string) => call<ShowtimeCheckins>('GET', `/showtimes/${showtimeId}/checkins`),

  providerSession: (sessionId: string) => call<ProviderSession>('GET', `/test-provider/sessions/${sessionId}`),
  providerPay: (sessionId: string, cardNumber: string) =>
    call<{ sessionId: string; outcome: 'succeeded' | 'failed'; reason: string | null }>('POST', `/test-provider/sessions/${sessionId}/pay`, { cardNumber }),
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
export interface Figures { capacity: number; sold: number; held: number; free: number; blocked: number; occupancy: number; gross: number; refunds: number; net: number; bookings: number; sales: number }
export interface ShowtimeFigures extends Figures { showtimeId: string; movieId: string; movieTitle: string; hallName: string; startsAt: string; day: string; status: 'scheduled' | 'cancelled'; currency: string }
export interface ShowtimesReport { from: string; to: string; timeZone: string; currency: string | null; showtimes: ShowtimeFigures[]; days: (Figures & { day: string; showtimes: number })[]; totals: Figures & { showtimes: number } }
export interface MoviesReport { from: string; to: string; currency: string | null; movies: (Figures & { movieId: string; movieTitle: string; showtimes: number })[]; totals: Figures }
export interface Reconciliation { checkedAt: string; bookings: number; payments: number; agree: boolean; disagreements: { kind: string; bookingId: string | null; paymentId: string; message: string }[]; settling: { message: string }[] }
export interface AccountRow { id: string; email: string; name: string; role: string; createdAt: string }

export const consoleApi = {
  createMovie: (movie: Omit<Movie, 'id'>) => call<{ movie: Movie }>('POST', '/movies', movie),
  updateMovie: (id: string, change: Partial<Omit<Movie, 'id'>>) => call<{ movie: Movie }>('PATCH', `/movies/${id}`, change),
  archiveMovie: (id: string) => call<{ movie: Movie }>('POST', `/movies/${id}/archive`),
  halls: () => call<{ items: Hall[] }>('GET', '/halls'),
  createHall: (name: string, layout: LayoutInput) => call<{ hall: Hall }>('POST', '/halls', { name, layout }),
  archiveHall: (id: string) => call<{ hall: Hall }>('POST', `/halls/${id}/archive`),
  schedule: (movieId: string, hallId: string, startsAt: string) => call<{ showtime: Showtime }>('POST', '/showtimes', { movieId, hallId, startsAt }),
  scheduleSeries: (body: { movieId: string; hallId: string; from: string; to: string; times: string[] }) => call<{ showtimes: Showtime[] }>('POST', '/showtimes/series', body),
  cancelShowtime: (id: string) => call<{ showtime: Showtime }>('DELETE', `/showtimes/${id}`),
  showtimeBookings: (id: string, status?: 'confirmed' | 'cancelled') => call<Page<Booking>>('GET', `/showtimes/${id}/bookings${q({ status, pageSize: 1 })}`),
  setBlockedSeats: (id: string, seats: string[]) => call<{ showtimeId: string; blocked: string[] }>('PUT', `/showtimes/${id}/blocked-seats`, { seats }),
  showtimesReport: (from: string, to = from) => call<ShowtimesReport>('GET', `/admin/reports/showtimes${q({ from, to })}`),
  moviesReport: (from: string, to: string) => call<MoviesReport>('GET', `/admin/reports/movies${q({ from, to })}`),
  reconciliation: () => call<Reconciliation>('GET', '/admin/reports/reconciliation'),
  /** the sales export as a file: its text and the name the server gave it */
  salesCsv: async (from: string, to = from) => {
    const res = await fetch(`/admin/reports/sales.csv${q({ from, to })}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) throw new ApiError(res.status, 'export-failed', `The export answered ${res.status}`);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'sales.csv';
    return { blob: await res.blob(), name };
  },
  users: (email?: string) => call<{ items: AccountRow[]; roles: string[] }>('GET', `/admin/users${q({ email })}`),
  setRole: (id: string, role: string) => call<{ user: AccountRow }>('PUT', `/admin/users/${id}/role`, { role }),
};
