// Hash routes (`/#/…`): the server serves only `/` and `/assets/*`, whatever page is open.
export type Route =
  | { page: 'home'; day?: string }
  | { page: 'showtime'; id: string }
  | { page: 'cart' }
  | { page: 'checkout'; paymentId: string }
  | { page: 'payment'; id: string }
  | { page: 'bookings' }
  | { page: 'booking'; id: string }
  | { page: 'tickets'; id: string }
  | { page: 'door'; showtimeId?: string }
  | { page: 'signin'; next?: string }
  | { page: 'signup'; next?: string }
  | { page: 'reset' }
  | { page: 'reset-confirm'; token?: string }
  | { page: 'mailbox'; to?: string }
  | { page: 'sessions' }
  | { page: 'console'; section: ConsoleSection; id?: string; day?: string }
  | { page: 'explorer' }
  | { page: 'not-found' };

/** The operator's console (admin): the day's numbers, the programme, halls, showtimes, users. */
export type ConsoleSection = 'dashboard' | 'movies' | 'halls' | 'new-hall' | 'showtimes' | 'blocked-seats' | 'users';

const ID = '([0-9a-f-]{36})';

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const opt = (name: string) => params.get(name) ?? undefined;
  const p = path || '/';
  let m: RegExpMatchArray | null;
  if (p === '/') return { page: 'home', day: opt('day') };
  if ((m = p.match(new RegExp(`^/showtimes/${ID}$`)))) return { page: 'showtime', id: m[1] };
  if (p === '/cart') return { page: 'cart' };
  if ((m = p.match(new RegExp(`^/checkout/${ID}$`)))) return { page: 'checkout', paymentId: m[1] };
  if ((m = p.match(new RegExp(`^/payments/${ID}$`)))) return { page: 'payment', id: m[1] };
  if (p === '/bookings') return { page: 'bookings' };
  if ((m = p.match(new RegExp(`^/bookings/${ID}$`)))) return { page: 'booking', id: m[1] };
  if ((m = p.match(new RegExp(`^/bookings/${ID}/tickets$`)))) return { page: 'tickets', id: m[1] };
  if (p === '/door') return { page: 'door', showtimeId: opt('showtime') };
  if (p === '/signin') return { page: 'signin', next: opt('next') };
  if (p === '/signup') return { page: 'signup', next: opt('next') };
  if (p === '/reset') return { page: 'reset' };
  if (p === '/reset/confirm') return { page: 'reset-confirm', token: opt('token') };
  if (p === '/mailbox') return { page: 'mailbox', to: opt('to') };
  if (p === '/account/sessions') return { page: 'sessions' };
  if (p === '/console') return { page: 'console', section: 'dashboard', day: opt('day') };
  if (p === '/console/movies' || p === '/console/halls' || p === '/console/users') return { page: 'console', section: p.slice(9) as ConsoleSection };
  if (p === '/console/halls/new') return { page: 'console', section: 'new-hall' };
  if (p === '/console/showtimes') return { page: 'console', section: 'showtimes', day: opt('day') };
  if ((m = p.match(new RegExp(`^/console/showtimes/${ID}/blocked-seats$`)))) return { page: 'console', section: 'blocked-seats', id: m[1] };
  if (p === '/explorer') return { page: 'explorer' };
  return { page: 'not-found' };
}

/** Only a path of this app may be where sign-in sends the customer next. */
export const safeNext = (next: string | undefined) => (next && /^#\/[A-Za-z0-9/?=&._-]*$/.test(next) ? next : '#/');
