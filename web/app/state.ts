// The app's shared state, in one place: who is signed in, the cart, the route, what the
// customer is being told, and how far this device's clock is from the server's.
import { computed, signal } from '@preact/signals';
import { ApiError, api, setToken, type Cart, type User } from '../shared/api';
import { parseRoute, type Route } from './router';
import { say } from './errors';

const TOKEN_KEY = 'cinema.session';
/** where a provider sign-in started, to go back there once it is done */
const NEXT_KEY = 'cinema.signin-next';

export const user = signal<User | null>(null);
export const cart = signal<Cart | null>(null);
// (a provider sign-in comes back with its answer in the fragment: not a page, it is handled first)
export const route = signal<Route>(parseRoute(providerAnswer() ? '#/' : location.hash));
export const notice = signal<{ kind: 'info' | 'error'; text: string; id: number } | null>(null);
/** server time minus this device's time, from the last availability read: countdowns use the server's clock */
export const clockOffsetMs = signal(0);
/** the provider's page for the payment being made (the answer of POST /payments says where) */
export const paymentPage = signal<{ paymentId: string; pageUrl: string } | null>(null);

export const signedIn = computed(() => user.value !== null);
export const heldSeatCount = computed(() => cart.value?.showtimes.reduce((n, s) => n + s.seats.length, 0) ?? 0);

let noticeId = 0;
export const tell = (text: string) => void (notice.value = { kind: 'info', text, id: ++noticeId });
export const warn = (text: string) => void (notice.value = { kind: 'error', text, id: ++noticeId });

export const serverNow = () => Date.now() + clockOffsetMs.value;

export function go(hash: string) {
  if (location.hash === hash) route.value = parseRoute(hash);
  else location.hash = hash;
}

window.addEventListener('hashchange', () => {
  route.value = parseRoute(location.hash);
  window.scrollTo(0, 0);
});

export function startSession(token: string, who: User) {
  localStorage.setItem(TOKEN_KEY, token);
  setToken(token);
  user.value = who;
  void refreshCart();
}

export function endSession() {
  localStorage.removeItem(TOKEN_KEY);
  setToken(null);
  user.value = null;
  cart.value = null;
}

/** Restores a kept session if the server still honours it. */
export async function restoreSession() {
  const token = localStorage.getItem(TOKEN_KEY);
  if (!token) return;
  setToken(token);
  try {
    user.value = (await api.me()).user;
    await refreshCart();
  } catch (err) {
    endSession();
    if (err instanceof ApiError && err.status === 401) tell('Your session has ended; please sign in again.');
  }
}

export async function refreshCart() {
  if (!user.value) return;
  try {
    cart.value = (await api.cart()).cart;
  } catch (err) {
    failed(err);
  }
}

/** Tells the customer what went wrong, in words; a session the server no longer honours ends here. */
export function failed(err: unknown) {
  if (err instanceof ApiError && err.status === 401 && user.value) endSession();
  warn(say(err));
}

function providerAnswer(): URLSearchParams | undefined {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  return fragment.has('oidc_code') || fragment.has('oidc_error') ? fragment : undefined;
}

/** Sends the browser to an identity provider's sign-in; it comes back to this app's root. */
export function startProviderSignIn(start: string, next: string) {
  sessionStorage.setItem(NEXT_KEY, next);
  location.assign(`${start}?returnTo=${encodeURIComponent(`${location.origin}/`)}`);
}

/** Finishes a provider sign-in the browser came back from: the one-time code for our session. */
export async function completeProviderSignIn() {
  const answer = providerAnswer();
  if (!answer) return;
  const next = sessionStorage.getItem(NEXT_KEY) ?? '#/';
  sessionStorage.removeItem(NEXT_KEY);
  // the code is used once: off the address bar and out of the history before anything else
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  const code = answer.get('oidc_code');
  const again = next === '#/' ? '#/signin' : `#/signin?next=${encodeURIComponent(next)}`;
  if (!code) {
    warn(answer.get('oidc_error') === 'access_denied' ? 'You cancelled signing in with the provider.' : `Signing in with the provider did not work (${answer.get('oidc_error')}). Please try again.`);
    go(again);
    return;
  }
  try {
    const s = await api.exchangeSignIn(code);
    startSession(s.token, s.user);
    tell(`Welcome, ${s.user.name}.`);
    go(next);
  } catch (err) {
    warn(say(err));
    go(again);
  }
}
