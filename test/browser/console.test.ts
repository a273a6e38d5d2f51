/// <reference lib="dom" />
// The operator's console in a real Chromium, against a stack of its own: an operator builds a
// hall with an aisle and two categories in the layout editor, schedules a two-week series,
// sees a clash named, blocks a house seat; a customer buys seats in the customer app; the
// operator reads the occupancy and revenue on the dashboard, and the CSV downloaded from the
// page parses as a table whose sums are the dashboard's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { buy, bookingFor } from '../support/flow';
import { buildTestWebApp, customerPages, keepScreenshot, launchChromium, seriousAxeViolations, DESKTOP, PHONE } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let admin: string;
let web: Awaited<ReturnType<typeof buildTestWebApp>>;

beforeAll(async () => {
  web = await buildTestWebApp();
  [stack, browser] = await Promise.all([startTestStack({ WEB_DIST_DIR: web.dir }, { events: true }), launchChromium()]);
  admin = (await signUpAdmin(stack)).token;
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  web?.remove();
});

const pages = customerPages(() => ({ browser, url: stack.url }));

async function expectAccessible(page: Page, what: string) {
  const found = await seriousAxeViolations(page);
  expect(found, `${what}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
}

const day = (inDays: number) => new Date(Date.now() + inDays * 86_400_000).toISOString().slice(0, 10);
const seat = (page: Page, row: string, n: number, rest: string) => page.getByRole('button', { name: `Row ${row}, seat ${n}, ${rest}` });
const tile = (page: Page, name: string) => page.getByLabel("The day's totals").locator('.tile').filter({ has: page.getByText(name, { exact: true }) }).locator('dd');
const euros = (cents: number) => new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR', minimumFractionDigits: cents % 100 ? 2 : 0 }).format(cents / 100);

describe("the operator's console", () => {
  it('builds a hall, schedules a series with a clash named, and reads the sales on the dashboard and in the CSV', async () => {
    await pages.steps('console', async () => {
      const t = randomBytes(3).toString('hex');
      const title = `Console Feature ${t}`;
      const hallName = `Studio ${t}`;
      const first = day(2);
      const last = day(15);
      const op = await pages.page(DESKTOP, admin);

      // a movie
      await op.goto('/#/console/movies');
      await op.getByRole('heading', { name: 'Movies', level: 1 }).waitFor();
      await op.getByLabel('Title').fill(title);
      await op.getByLabel('Length in minutes').fill('100');
      await op.getByLabel('Release date').fill('2026-01-01');
      await op.getByLabel('Genres (comma-separated)').fill('drama');
      await op.getByRole('button', { name: 'Add movie' }).click();
      await op.getByRole('cell', { name: title, exact: true }).waitFor();
      await expectAccessible(op, 'movies');
      await keepScreenshot(op, 'console-movies');

      // a hall: 4 rows of 9 places, an aisle at place 5, row D premium, an accessible seat, focal row B
      await op.getByRole('link', { name: 'Halls' }).click();
      await op.getByRole('link', { name: 'New hall' }).click();
      await op.getByRole('heading', { name: 'New hall' }).waitFor();
      await op.getByLabel('Hall name').fill(hallName);
      await op.getByLabel('Category 1 price').fill('10.00');
      await op.getByRole('button', { name: 'Add a category' }).click();
      await op.getByLabel('Category 2 name').fill('premium');
      await op.getByLabel('Category 2 price').fill('15.50');
      await op.getByLabel('Rows', { exact: true }).fill('4');
      await op.getByLabel('Rows', { exact: true }).press('Tab');
      await op.getByLabel('Places per row').fill('9');
      await op.getByLabel('Places per row').press('Tab');
      await op.getByLabel('Aisle at place').fill('5');
      await op.getByRole('button', { name: 'Make an aisle' }).click();
      await op.getByLabel('Row D seats').selectOption('premium');
      await op.getByRole('radio', { name: '(wheelchair space on or off)' }).check();
      await op.getByRole('button', { name: 'Row A, place 1: standard' }).click();
      await op.getByLabel('Focal row').selectOption('B');
      await op.getByText('Best-available seats are chosen nearest row B, its centre.').waitFor();
      // the customer's map, live: the aisle takes no number, row D is premium, A1 accessible
      await op.getByRole('button', { name: 'Row A, place 5: gap' }).waitFor();
      await seat(op, 'D', 5, 'premium, €15.50, available').waitFor();
      await seat(op, 'A', 1, 'standard, wheelchair accessible, €10, available').waitFor();
      expect(await op.getByRole('region', { name: "Preview of the customer's seat map" }).getByRole('button').count()).toBe(32);
      await expectAccessible(op, 'layout editor');
      await keepScreenshot(op, 'console-hall-editor');
      await op.getByRole('button', { name: 'Build the hall' }).click();
      await op.getByText(`${hallName} is built: 32 seats.`).waitFor();
      await op.getByRole('cell', { name: hallName, exact: true }).waitFor();
      await keepScreenshot(op, 'console-halls');

      // a two-week series every day at 18:00 and 21:00
      await op.getByRole('link', { name: 'Showtimes' }).click();
      await op.getByRole('heading', { name: 'Showtimes', level: 1 }).waitFor();
      await op.getByLabel('Movie').selectOption({ label: title });
      await op.getByLabel('Hall').selectOption({ label: hallName });
      await op.getByRole('radio', { name: 'A series, every day' }).check();
      await op.getByLabel('First day').fill(first);
      await op.getByLabel('Last day').fill(last);
      await op.getByLabel(/^Times of day/).fill('18:00, 21:00');
      await op.getByRole('button', { name: 'Schedule' }).click();
      await op.getByRole('status').filter({ hasText: 'Scheduled 28 showtimes' }).waitFor();
      const listed = (await stack.api('GET', `/showtimes?date=${first}&pageSize=100`)).body.items.filter((s: any) => s.hallName === hallName);
      expect(listed.map((s: any) => s.startsAt.slice(11, 16)).sort()).toEqual(['18:00', '21:00']);
      const evening = listed.find((s: any) => s.startsAt.slice(11, 16) === '18:00');

      // one more at 19:00 on the first day clashes with the 18:00: the refusal names it
      await op.getByRole('radio', { name: 'One showtime' }).check();
      await op.getByLabel('Starts at').fill(`${first}T19:00`);
      await op.getByRole('button', { name: 'Schedule' }).click();
      const refusal = op.getByRole('alert').filter({ has: op.getByRole('heading', { name: 'Not scheduled' }) });
      await refusal.waitFor();
      await expect.poll(() => refusal.textContent()).toContain(`"${title}" (${evening.id})`);
      await expect.poll(() => refusal.getByRole('list', { name: 'Clashes' }).textContent()).toContain(`showtime ${evening.id.slice(0, 8)}`);
      await expectAccessible(op, 'showtimes with a refusal');
      await keepScreenshot(op, 'console-showtimes');

      // a house seat on the 18:00 show
      await op.goto(`/#/console/showtimes?day=${first}`);
      await op.getByRole('link', { name: `Block seats of ${title} at 18:00` }).click();
      await op.getByRole('heading', { name: 'Blocked seats' }).waitFor();
      await seat(op, 'B', 8, 'standard, €10, available').click();
      await seat(op, 'B', 8, 'standard, €10, not for sale').waitFor();
      await op.getByRole('button', { name: 'Save blocked seats' }).click();
      await op.getByText('Blocked: B8.').waitFor();
      await expectAccessible(op, 'blocked seats');
      await keepScreenshot(op, 'console-blocked-seats');

      // a customer buys two premium seats and a standard one in the customer app
      const customer = await signUp(stack.api);
      const shopper = await pages.page(DESKTOP, customer.token);
      await shopper.goto(`/#/showtimes/${evening.id}`);
      await seat(shopper, 'D', 4, 'premium, €15.50, available').click();
      await seat(shopper, 'D', 4, 'premium, €15.50, held by you').waitFor();
      await seat(shopper, 'D', 5, 'premium, €15.50, available').click();
      await seat(shopper, 'D', 5, 'premium, €15.50, held by you').waitFor();
      await seat(shopper, 'B', 2, 'standard, €10, available').click();
      await seat(shopper, 'B', 2, 'standard, €10, held by you').waitFor();
      await seat(shopper, 'B', 8, 'standard, €10, not for sale').waitFor();
      await shopper.getByRole('complementary', { name: 'Your seats' }).getByRole('link', { name: 'Go to cart' }).click();
      await shopper.getByRole('button', { name: 'Check out €41' }).click();
      await shopper.getByRole('link', { name: 'Pay €41' }).click();
      await shopper.getByLabel('Card number').fill('4242 4242 4242 4242');
      await shopper.getByRole('button', { name: 'Pay €41' }).click();
      await shopper.getByRole('heading', { name: 'Booking confirmed' }).waitFor({ timeout: 30_000 });

      // the dashboard of that day: 3 of 32 seats sold in the 18:00, €41 taken; the 21:00 sold nothing
      await op.goto(`/#/console?day=${first}`);
      await op.getByRole('heading', { name: "The day's numbers" }).waitFor();
      const row = op.locator(`tr[data-showtime="${evening.id}"]`);
      await expect.poll(() => row.getByRole('cell').allTextContents(), { timeout: 15_000 }).toEqual(['18:00', title, hallName, '32', '3', '0', '28', '1', '9.4%', '€41', '€0', '€41', '0']);
      // only this hall's showtimes are on that day in this stack: the day's totals are theirs
      expect(await tile(op, 'Capacity').textContent()).toBe('64');
      expect(await tile(op, 'Sold').textContent()).toBe('3');
      expect(await tile(op, 'Occupancy').textContent()).toBe(`${Math.round((3 / 64) * 1000) / 10}%`);
      expect(await tile(op, 'Gross revenue').textContent()).toBe(euros(2 * 1550 + 1000));
      expect(await tile(op, 'Net revenue').textContent()).toBe('€41');
      await op.getByRole('img', { name: /^Occupancy by showtime: 18:00 .* 9\.4%; 21:00 .* 0%$/ }).waitFor();
      await op.getByText(/^Booking and payment agree: \d+ bookings? and \d+ payments? checked/).waitFor({ timeout: 15_000 });
      await expectAccessible(op, 'dashboard');
      await keepScreenshot(op, 'console-dashboard');
      await op.setViewportSize(PHONE);
      await keepScreenshot(op, 'console-dashboard');
      await op.setViewportSize(DESKTOP);

      // the CSV, downloaded through the page, adds up to the dashboard
      const [download] = await Promise.all([op.waitForEvent('download'), op.getByRole('button', { name: 'Download sales (CSV)' }).click()]);
      expect(download.suggestedFilename()).toBe(`sales-${first}.csv`);
      const rows: Record<string, string>[] = parse(readFileSync((await download.path())!, 'utf8'), { columns: true, skip_empty_lines: true });
      const sold = rows.filter((r) => r.status === 'confirmed');
      expect(sold.map((r) => r.seat).sort()).toEqual(['B2', 'D4', 'D5']);
      expect(String(sold.length)).toBe(await tile(op, 'Sold').textContent());
      expect(euros(sold.reduce((n, r) => n + Math.round(Number(r.price) * 100), 0))).toBe(await tile(op, 'Net revenue').textContent());
      expect(new Set(sold.map((r) => r.category))).toEqual(new Set(['premium', 'standard']));

      // cancelling a showtime with a booking says how many bookings were cancelled, and payment's refunds
      const next = (await stack.api('GET', `/showtimes?date=${day(3)}&pageSize=100`)).body.items.find((s: any) => s.hallName === hallName && s.startsAt.slice(11, 16) === '21:00');
      const bought = await buy(stack.api, customer.token, next.id, ['C3']);
      await bookingFor(stack, bought.paymentId!);
      await op.goto(`/#/console/showtimes?day=${day(3)}`);
      await op.getByRole('button', { name: `Cancel ${title} at 21:00 in ${hallName}` }).click();
      await op.getByRole('status').filter({ hasText: `Cancelled ${title} at 21:00 in ${hallName}: 1 booking cancelled, €10 refunded.` }).waitFor({ timeout: 30_000 });
      await eventually(async () => ((await stack.db.pool('payment').query(`SELECT 1 FROM payments WHERE id = $1 AND status = 'refunded'`, [bought.paymentId])).rowCount ? true : undefined), 20_000, 'the refund');

      // users: an operator makes another account an admin
      const colleague = await signUp(stack.api);
      await op.getByRole('link', { name: 'Users' }).click();
      await op.getByLabel('Email starts with').fill(colleague.email);
      await op.getByRole('button', { name: 'Find' }).click();
      await op.getByRole('combobox', { name: `Role of ${colleague.email}` }).selectOption('admin');
      await op.getByRole('button', { name: `Save the role of ${colleague.email}` }).click();
      await op.getByText(`is now an admin.`).waitFor();
      await expectAccessible(op, 'users');
      await keepScreenshot(op, 'console-users');
      expect((await stack.api('GET', '/admin/reports/reconciliation', { token: colleague.token })).status).toBe(200);
    });
  }, 240_000);

  it('tells a customer the console is for operators', async () => {
    await pages.steps('console refused', async () => {
      const customer = await signUp(stack.api);
      const page = await pages.page(DESKTOP, customer.token);
      await page.goto('/#/console');
      await page.getByText("This part of the site is for the cinema's operators.").waitFor();
      expect(await page.getByRole('link', { name: 'Console' }).count()).toBe(0);
    });
  }, 60_000);
});
