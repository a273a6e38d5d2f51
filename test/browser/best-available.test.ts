/// <reference lib="dom" />
// "Hold the best seats" in a real Chromium, against a stack of its own: a customer asks for 4
// and gets 4 seats side by side on the map; asks for more than any row has together and is
// told they are not; hits the per-showtime cap and is told in words; and, with the
// single-seat rule on, a click that would strand a seat is refused with other seats to try.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, signUp, signUpAdmin, type TestStack } from '../support/stack';
import { LAYOUT, scheduleShowtime } from '../support/flow';
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
const steps = pages.steps;
const customer = (token: string, viewport = DESKTOP) => pages.page(viewport, token);

const keep = keepScreenshot;

const seatsHeldByMe = async (page: Page) =>
  (await page.getByRole('button', { name: /, held by you$/ }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!))).map((label) => {
    const [, row, n] = /^Row ([A-Z]+), seat ([0-9]+),/.exec(label)!;
    return { row, n: Number(n) };
  });

async function askForBest(page: Page, count: number) {
  await page.getByRole('spinbutton', { name: 'Number of seats' }).fill(String(count));
  await page.getByRole('button', { name: 'Hold the best seats' }).click();
}

describe('hold the best seats', () => {
  it('4 asked, 4 side by side on the map; more than a row has together is said; the cap is said in words', async () => {
    await steps('best available', async () => {
      // rows A-C: four seats, an aisle, four seats
      const { showtimeId } = await scheduleShowtime(stack, admin);
      const alice = await signUp(stack.api);
      const page = await customer(alice.token);
      await page.goto(`/#/showtimes/${showtimeId}`);
      await page.getByRole('button', { name: /^Row A, seat 1, .*, available$/ }).waitFor();

      await askForBest(page, 4);
      await page.getByRole('status').getByText(/are held for you, side by side\.$/).waitFor();
      await page.getByRole('button', { name: /, held by you$/ }).nth(3).waitFor();
      const four = await seatsHeldByMe(page);
      expect(four.length).toBe(4);
      // one row, consecutive numbers, and no aisle between them (the aisle is after seat 4)
      expect(new Set(four.map((s) => s.row)).size).toBe(1);
      const numbers = four.map((s) => s.n).sort((a, b) => a - b);
      expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1)).toBe(true);
      expect(numbers[0] > 4 || numbers[3] <= 4).toBe(true);
      expect(LAYOUT.rows[0].seats[4]).toBeNull();
      const found = await seriousAxeViolations(page);
      expect(found, JSON.stringify(found)).toEqual([]);
      await keep(page, 'best-available');

      // no row has five side by side (blocks of four): the nearest five, and the page says so
      await askForBest(page, 5);
      await page.getByRole('status').getByText(/They are not side by side/).waitFor();
      await page.getByRole('button', { name: /, held by you$/ }).nth(8).waitFor();
      expect((await seatsHeldByMe(page)).length).toBe(9);

      // nine held, two more asked: over the cap of ten, said in words
      await askForBest(page, 2);
      await page.getByRole('alert').getByText('You can hold up to 10 seats for one showtime, and you already hold 9. Check out or release some first.').waitFor();
      expect((await seatsHeldByMe(page)).length).toBe(9);
    });
  }, 120_000);

  it('with the single-seat rule on, a click that would leave a seat alone is refused, naming the seat to take instead', async () => {
    await steps('best available refusals', async () => {
      const { showtimeId } = await scheduleShowtime(stack, admin);
      expect((await stack.api('PUT', `/showtimes/${showtimeId}/seating-rules`, { token: admin, body: { noSingleSeats: true } })).status).toBe(200);
      const alice = await signUp(stack.api);
      const page = await customer(alice.token, PHONE);
      await page.goto(`/#/showtimes/${showtimeId}`);
      await page.getByRole('button', { name: /^Row C, seat 2, .*, available$/ }).waitFor();

      // seat C2 alone would leave C1 by the row's end
      await page.getByRole('button', { name: /^Row C, seat 2, .*, available$/ }).click();
      await page.getByRole('alert').getByText("Please don't leave seat C1 on its own: this showtime keeps no single seats empty. Seat C1 would work.").waitFor();
      expect((await seatsHeldByMe(page)).length).toBe(0);
      const found = await seriousAxeViolations(page);
      expect(found, JSON.stringify(found)).toEqual([]);
      await keep(page, 'single-seat-rule');
      await page.getByRole('button', { name: /^Row C, seat 1, .*, available$/ }).click();
      await page.getByRole('button', { name: /^Row C, seat 1, .*, held by you$/ }).waitFor();
    });
  }, 120_000);
});
