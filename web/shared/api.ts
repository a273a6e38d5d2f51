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

  providerSession: (sessionId: string) => call<ProviderSession>('GET', `/test-provider/sessions/${sessionId}`),
  providerPay: (sessionId: string, cardNumber: string) =>
    call<Answer<'/test-provider/sessions/{sessionId}/pay', 'post'>>('POST', `/test-provider/sessions/${sessionId}/pay`, { cardNumber } satisfies Body<'/test-provider/sessions/{sessionId}/pay', 'post'>),
};

/** Cents as the customer reads them: €15, €12.50. Formatting only; amounts are the server's. */
export function money(cents: number, currency: string | null | undefined): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency: currency ?? 'EUR', minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }).format(cents / 100);
}
