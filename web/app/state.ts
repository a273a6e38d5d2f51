// The app's shared state, in one place: who is signed in, the cart, the route, what the
// customer is being told, and how far this device's clock is from the server's.
import { computed, signal } from '@preact/signals';
import { ApiError, api, setToken, type Cart, type User } from '../shared/api';
import { parseRoute, type Route } from './router';
import { say } from './errors';

const TOKEN_KEY = 'cinema.session';

export const user = signal<User | null>(null);
export const cart = signal<Cart | null>(null);
export const route = signal<Route>(parseRoute(location.hash));
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
