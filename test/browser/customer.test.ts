/// <reference lib="dom" />
// The customer web app in a real Chromium, against a stack of its own (gateway, events,
// databases): found by role and name as people find things, web-first waits, one browser
// context per customer, axe on every page, a screenshot kept when a test fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, signUp, signUpAdmin, type TestStack } from '../support/stack';
import { scheduleShowtime } from '../support/flow';
import { buildTestWebApp, customerPages, keepScreenshot, keepingScreenshots, launchChromium, seriousAxeViolations, PHONE, DESKTOP } from '../support/browser';

const HOLD_SECONDS = 25;
let stack: TestStack;
let browser: Browser;
let admin: string;
let web: Awaited<ReturnType<typeof buildTestWebApp>>;

beforeAll(async () => {
  web = await buildTestWebApp();
  [stack, browser] = await Promise.all([startTestStack({ WEB_DIST_DIR: web.dir, HOLD_SECONDS: String(HOLD_SECONDS), HOLD_CAP_SECONDS: '120' }, { events: true }), launchChromium()]);
  admin = (await signUpAdmin(stack)).token;
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  web?.remove();
});

// each test's customers, a screenshot of every page when it fails, all closed after
const pages = customerPages(() => ({ browser, url: stack.url }));
const steps = pages.steps;
const customer = (viewport = DESKTOP, token?: string) => pages.page(viewport, token);

async function expectAccessible(page: Page, what: string) {
  const found = await seriousAxeViolations(page);
  expect(found, `${what}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
}

const SHOTS = keepingScreenshots;
const keep = keepScreenshot;

const seat = (page: Page, row: string, n: number, status: string) => page.getByRole('button', { name: new RegExp(`^Row ${row}, seat ${n}, .*, ${status}$`) });

async function showtimeFor(title?: string) {
  const { showtimeId } = await scheduleShowtime(stack, admin);
  const st = (await stack.api('GET', `/showtimes/${showtimeId}`)).body.showtime;
  return { showtimeId, title: (title ?? st.movieTitle) as string, startsAt: st.startsAt as string, hall: st.hallName as string };
}

describe('the customer web app', () => {
  it('home to a confirmed booking, then cancelled and refunded, by clicks and typing only', async () => {
    await steps('purchase', async () => {
      const show = await showtimeFor();
      const page = await customer(SHOTS ? PHONE : DESKTOP);
      await page.goto('/');
      await page.getByRole('heading', { name: "What's on" }).waitFor();
      await expectAccessible(page, 'home');

      await page.getByRole('link', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Create an account' }).waitFor();
      await expectAccessible(page, 'sign up');
      await page.getByLabel('Name').fill('Ada Customer');
      await page.getByLabel('Email').fill(`ada-${Date.now()}@example.test`);
      await page.getByLabel(/^Password/).fill('correct horse battery');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('Welcome, Ada Customer').waitFor();

      const day = new Date(show.startsAt);
      const dayLabel = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(day);
      await page.getByRole('navigation', { name: 'Days' }).getByRole('link', { name: dayLabel }).click();
      const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(day);
      await page.getByRole('link', { name: `${show.title} at ${time} in ${show.hall}` }).click();
      await page.getByRole('heading', { name: show.title }).waitFor();
      await seat(page, 'C', 5, 'available').waitFor();
      expect(await seat(page, 'C', 5, 'available').getAttribute('aria-label')).toBe('Row C, seat 5, premium, €15, available');
      await expectAccessible(page, 'seat map');
      await keep(page, 'seat-map-empty');

      await seat(page, 'C', 5, 'available').click();
      await seat(page, 'C', 5, 'held by you').waitFor();
      await seat(page, 'C', 6, 'available').click();
      await seat(page, 'C', 6, 'held by you').waitFor();
      const aside = page.getByRole('complementary', { name: 'Your seats' });
      await aside.getByText('€30').waitFor(); // the server's total
      await aside.getByTestId('countdown').waitFor();
      await expectAccessible(page, 'seat map with holds');
      await keep(page, 'seat-map');

      await aside.getByRole('link', { name: 'Go to cart' }).click();
      await page.getByRole('heading', { name: 'Your cart' }).waitFor();
      await page.getByRole('button', { name: 'Release seat C6' }).click();
      await page.getByRole('button', { name: 'Check out €15' }).waitFor();
      await expectAccessible(page, 'cart');
      await keep(page, 'cart');
      await page.getByRole('button', { name: 'Check out €15' }).click();

      await page.getByRole('heading', { name: 'Checkout' }).waitFor();
      await expectAccessible(page, 'checkout');
      await page.getByRole('link', { name: 'Pay €15' }).click();
      await page.getByRole('heading', { name: 'Pay €15 to Cinema' }).waitFor();
      await expectAccessible(page, 'test provider');
      await page.getByLabel('Card number').fill('4242 4242 4242 4242');
      await keep(page, 'test-provider');
      await page.getByRole('button', { name: 'Pay €15' }).click();

      await page.getByRole('heading', { name: 'Booking confirmed' }).waitFor({ timeout: 30_000 });
      await page.getByText('C5', { exact: true }).waitFor();
      await expectAccessible(page, 'confirmation');
      await keep(page, 'booking-confirmed');

      await page.getByRole('button', { name: 'Cancel booking' }).click();
      await page.getByRole('button', { name: 'Yes, cancel the booking' }).click();
      await page.getByRole('heading', { name: 'Booking cancelled' }).waitFor();
      await page.getByText('Refunded €15').waitFor({ timeout: 30_000 });
      await expectAccessible(page, 'cancelled booking');

      await page.getByRole('link', { name: 'All my bookings' }).click();
      await page.getByRole('heading', { name: 'My bookings' }).waitFor();
      await page.getByText('Cancelled', { exact: true }).waitFor();
      await page.getByText('Refunded €15').waitFor();
      await expectAccessible(page, 'my bookings');
      await keep(page, 'my-bookings');

      // the seat is free again on the map
      await page.goto(`/#/showtimes/${show.showtimeId}`);
      await seat(page, 'C', 5, 'available').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();
    });
  }, 180_000);

  it('what one customer holds turns to held on the other\'s map within 2 s, and the other\'s click on it is refused in words', async () => {
    await steps('two customers', async () => {
      const show = await showtimeFor();
      const [alice, bob] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
      const [a, b] = await Promise.all([customer(DESKTOP, alice.token), customer(PHONE, bob.token)]);
      await Promise.all([a.goto(`/#/showtimes/${show.showtimeId}`), b.goto(`/#/showtimes/${show.showtimeId}`)]);
      await Promise.all([seat(a, 'B', 3, 'available').waitFor(), seat(b, 'B', 3, 'available').waitFor()]);

      await seat(a, 'B', 3, 'available').click();
      await seat(a, 'B', 3, 'held by you').waitFor();
      await seat(b, 'B', 3, 'held by someone else').waitFor({ timeout: 2000 });
      await expectAccessible(b, 'seat map with another customer\'s hold');

      await seat(b, 'B', 3, 'held by someone else').click();
      await b.getByRole('alert').getByText('Sorry, seat B3 was just taken by someone else.').waitFor();
      await seat(b, 'B', 3, 'held by someone else').waitFor();
      await keep(b, 'seat-taken');

      // and a release shows as quickly
      await seat(a, 'B', 3, 'held by you').click();
      await seat(b, 'B', 3, 'available').waitFor({ timeout: 2000 });
    });
  }, 120_000);

  it('a hold\'s countdown reaches zero and the seats come back', async () => {
    await steps('countdown', async () => {
      const show = await showtimeFor();
      const [alice, bob] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
      const [a, b] = await Promise.all([customer(DESKTOP, alice.token), customer(DESKTOP, bob.token)]);
      await Promise.all([a.goto(`/#/showtimes/${show.showtimeId}`), b.goto(`/#/showtimes/${show.showtimeId}`)]);
      await seat(a, 'A', 1, 'available').click();
      await seat(a, 'A', 1, 'held by you').waitFor();
      const countdown = a.getByTestId('countdown');
      const shown = await countdown.textContent();
      expect(shown).toMatch(/^0:(2\d|1\d)$/); // the server's 25 s, less what the click took
      await seat(b, 'A', 1, 'held by someone else').waitFor({ timeout: 2000 });

      await a.getByRole('alert').getByText(/Your hold ran out/).waitFor({ timeout: (HOLD_SECONDS + 10) * 1000 });
      await seat(a, 'A', 1, 'available').waitFor({ timeout: 2000 });
      await seat(b, 'A', 1, 'available').waitFor({ timeout: 2000 });
      expect(await a.getByRole('complementary', { name: 'Your seats' }).getByTestId('countdown').count()).toBe(0);
    });
  }, 120_000);

  it('picks and releases seats with the keyboard alone', async () => {
    await steps('keyboard', async () => {
      const show = await showtimeFor();
      const alice = await signUp(stack.api);
      const page = await customer(DESKTOP, alice.token);
      await page.goto(`/#/showtimes/${show.showtimeId}`);
      await seat(page, 'A', 1, 'available').waitFor();
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
      // Tab from the top of the page: the map is one tab stop, on its first seat
      for (let i = 0; i < 40 && !(await focused()).startsWith('Row '); i++) await page.keyboard.press('Tab');
      expect(await focused()).toBe('Row A, seat 1, standard, €10, available');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Row C, seat 3, premium, €15, available');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight'); // across the aisle
      expect(await focused()).toBe('Row C, seat 5, premium, €15, available');
      await page.keyboard.press('Enter');
      await seat(page, 'C', 5, 'held by you').waitFor();
      await page.keyboard.press('End');
      expect(await focused()).toBe('Row C, seat 8, premium, €15, available');
      await page.keyboard.press(' ');
      await seat(page, 'C', 8, 'held by you').waitFor();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      expect(await focused()).toMatch(/^Row C, seat 5, .*held by you$/);
      await page.keyboard.press('Enter');
      await seat(page, 'C', 5, 'available').waitFor();
      const cart = (await stack.api('GET', '/cart', { token: alice.token })).body.cart;
      expect(cart.showtimes[0].seats.map((s: any) => s.seatId)).toEqual(['C8']);
    });
  }, 120_000);

  it('resets a forgotten password through the dev mailbox, and says in words what the server refused', async () => {
    await steps('password reset', async () => {
      const alice = await signUp(stack.api);
      const page = await customer(PHONE);
      await page.goto('/#/signin');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectAccessible(page, 'sign in');
      await keep(page, 'sign-in');
      await page.getByLabel('Email').fill(alice.email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').getByText('That email and password do not match an account.').waitFor();

      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await expectAccessible(page, 'reset');
      await page.getByLabel('Email').fill(alice.email);
      await page.getByRole('button', { name: 'Send me a reset token' }).click();
      await page.getByRole('link', { name: 'dev mailbox' }).click();
      await page.getByRole('heading', { name: 'Reset your cinema password' }).waitFor();
      await expectAccessible(page, 'dev mailbox');
      await page.getByRole('link', { name: 'Choose a new password with this token' }).click();
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await expectAccessible(page, 'new password');
      await page.getByLabel(/^New password/).fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Change password' }).click();

      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill(alice.email);
      await page.getByLabel('Password').fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: "What's on" }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    });
  }, 120_000);

  it('serves the app from the API\'s origin with the right types and caching; unknown paths keep the JSON errors', async () => {
    const index = await fetch(`${stack.url}/`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const html = await index.text();
    const script = html.match(/src="\/assets\/(app-[A-Z0-9]{8}\.js)"/)![1];
    const js = await fetch(`${stack.url}/assets/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${stack.url}/`, { headers: { 'if-none-match': index.headers.get('etag')! } })).status).toBe(304);
    const missing = await stack.api('GET', '/assets/app-NOTTHERE.js');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await stack.api('GET', '/assets/..%2F..%2Fpackage.json')).status).toBe(400);
    const unknown = await stack.api('GET', '/no/such/api');
    expect(unknown.status).toBe(404);
    expect(typeof unknown.body).toBe('object');
  });
});
