/// <reference lib="dom" />
// The customer's tickets in a real Chromium: the booking page shows one QR code per seat that
// decodes to the ticket's code, and a printable page of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { bookingFor, buy, scheduleShowtime } from '../support/flow';
import { buildTestWebApp, customerPages, keepScreenshot, launchChromium, seriousAxeViolations, PHONE } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let web: Awaited<ReturnType<typeof buildTestWebApp>>;

beforeAll(async () => {
  web = await buildTestWebApp();
  [stack, browser] = await Promise.all([startTestStack({ WEB_DIST_DIR: web.dir }, { events: true }), launchChromium()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  web?.remove();
});

const pages = customerPages(() => ({ browser, url: stack.url }));

describe("the customer's tickets", () => {
  it('shows one QR code per seat that decodes to the ticket code, and a printable page', async () => {
    await pages.steps('tickets', async () => {
      const admin = (await signUpAdmin(stack)).token;
      const { showtimeId } = await scheduleShowtime(stack, admin);
      const customer = await signUp(stack.api);
      const bought = await buy(stack.api, customer.token, showtimeId, ['C5', 'C6']);
      const booking = await bookingFor(stack, bought.paymentId!);
      const { tickets, booking: b } = (await stack.api('GET', `/bookings/${booking.id}/tickets`, { token: customer.token })).body;

      const page = await pages.page(PHONE, customer.token);
      await page.goto(`/#/bookings/${booking.id}`);
      await page.getByRole('heading', { name: 'Your tickets' }).waitFor();
      await page.getByText(b.reference).first().waitFor();
      for (const t of tickets) {
        const qr = page.getByRole('img', { name: `QR code of the ticket for seat ${t.seat}` });
        await qr.scrollIntoViewIfNeeded();
        const png = PNG.sync.read(await qr.screenshot());
        const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
        expect(found?.data, `seat ${t.seat}`).toBe(t.code);
      }
      expect(await seriousAxeViolations(page)).toEqual([]);
      await keepScreenshot(page, 'booking-tickets');

      await page.getByRole('link', { name: 'Printable tickets' }).click();
      await page.getByRole('button', { name: 'Print tickets' }).waitFor();
      await page.emulateMedia({ media: 'print' });
      await expect(page.getByRole('button', { name: 'Print tickets' }).isVisible()).resolves.toBe(false);
      expect(await page.getByRole('listitem', { name: /^Ticket for seat/ }).count()).toBe(2);
      await page.screenshot({ path: 'test/browser/failures/printable-tickets.png', fullPage: true }).catch(() => undefined);
      await keepScreenshot(page, 'printable-tickets');

      // the confirmation, with the tickets, in the web app's dev mailbox
      await page.emulateMedia({ media: 'screen' });
      await eventually(async () => ((await stack.db.pool('auth').query(`SELECT 1 FROM dev_mailbox WHERE to_address = $1 AND fact_key IS NOT NULL`, [customer.email])).rowCount ? true : undefined), 20_000, 'the mail');
      await page.goto('/#/mailbox');
      await page.getByLabel('Email address').fill(customer.email);
      await page.getByRole('button', { name: 'Show mail' }).click();
      await page.getByText(`Your tickets: ${b.movieTitle} — ${b.reference}`).waitFor({ timeout: 20_000 });
      for (const t of tickets) await page.getByText(t.code, { exact: false }).first().waitFor();
      await keepScreenshot(page, 'mailbox-tickets');
    });
  });
});
