/// <reference lib="dom" />
// The door app in a real Chromium whose fake camera is fed a video of a customer's QR code:
// it admits the ticket and refuses it the second time; with the network cut it goes on
// admitting and refusing from the manifest and its journal; on reconnect the server has every
// scan once and reports the conflict two offline devices made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { bookingFor, buy, scheduleShowtime } from '../support/flow';
import { buildTestWebApp, customerPages, keepScreenshot, launchChromium, seriousAxeViolations, PHONE } from '../support/browser';
import { writeQrVideo } from '../support/qr-video';
import { ROOT } from '../../infra/local/gateway';

let stack: TestStack;
let browser: Browser;
let web: Awaited<ReturnType<typeof buildTestWebApp>>;
let show: { id: string; title: string; hall: string; startsAt: string };
let tickets: { seat: string; code: string; id: string }[];
let reference: string;
const doors: string[] = [];
// the fake camera's video, beside the other build outputs of tests
const video = join(ROOT, '.esbuild', `door-${randomBytes(4).toString('hex')}.y4m`);
let qr: { version: number; modules: number };

beforeAll(async () => {
  web = await buildTestWebApp();
  stack = await startTestStack({ WEB_DIST_DIR: web.dir }, { events: true });
  const admin = (await signUpAdmin(stack)).token;
  const { showtimeId } = await scheduleShowtime(stack, admin, { startsInMinutes: 40 });
  const st = (await stack.api('GET', `/showtimes/${showtimeId}`)).body.showtime;
  show = { id: showtimeId, title: st.movieTitle, hall: st.hallName, startsAt: st.startsAt };
  const customer = await signUp(stack.api);
  const booking = await bookingFor(stack, (await buy(stack.api, customer.token, showtimeId, ['A1', 'A2'])).paymentId!);
  const got = (await stack.api('GET', `/bookings/${booking.id}/tickets`, { token: customer.token })).body;
  tickets = got.tickets;
  reference = got.booking.reference;
  for (const n of [1, 2]) {
    const email = `door${n}-${randomBytes(4).toString('hex')}@example.test`;
    await stack.api('PUT', '/admin/staff', { token: admin, body: { email, role: 'door', password: 'door-password-1' } });
    doors.push((await stack.api('POST', '/auth/login', { body: { email, password: 'door-password-1' } })).body.token);
  }
  // the camera sees seat A1's ticket
  qr = writeQrVideo(video, tickets.find((t) => t.seat === 'A1')!.code);
  browser = await launchChromium(['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  web?.remove();
  (await import('node:fs')).rmSync(video, { force: true });
});

const pages = customerPages(() => ({ browser, url: stack.url }));

async function openScanner(page: Page) {
  await page.goto('/#/door');
  await page.getByRole('heading', { name: 'Door check-in' }).waitFor();
  await page.getByLabel('Day').fill(show.startsAt.slice(0, 10));
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(new Date(show.startsAt));
  await page.getByRole('link', { name: `Check in ${show.title} at ${time} in ${show.hall}` }).click();
  await page.getByRole('heading', { name: `Door: ${show.title}` }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Online' }).waitFor();
}

const verdict = (page: Page) => page.getByRole('dialog');
async function expectVerdict(page: Page, title: string, seat?: string) {
  await verdict(page).getByRole('heading', { name: title, exact: true }).waitFor();
  if (seat) await verdict(page).getByText(`Seat ${seat}`, { exact: true }).waitFor();
}
const next = (page: Page) => verdict(page).getByRole('button', { name: 'Scan next' }).click();
async function type(page: Page, text: string) {
  await page.getByLabel('Reference and seat, or ticket code').fill(text);
  await page.getByRole('button', { name: 'Check' }).click();
}
const journal = (page: Page) => page.evaluate((id) => JSON.parse(localStorage.getItem(`cinema.door.journal.${id}`) ?? '[]'), show.id) as Promise<any[]>;

describe('the door app', () => {
  it('admits from the camera, refuses the second scan, goes on offline, and syncs every scan once with the conflict', async () => {
    await pages.steps('door', async () => {
      // device one, with a camera
      const one = await pages.page(PHONE, doors[0]);
      await one.context().grantPermissions(['camera'], { origin: stack.url });
      await openScanner(one);
      await expectVerdict(one, 'Admitted', 'A1');
      await keepScreenshot(one, 'door-admitted');
      await one.screenshot({ path: 'test/browser/failures/door-admitted.png' });
      await next(one);
      await expectVerdict(one, 'Already admitted', 'A1');
      await one.screenshot({ path: 'test/browser/failures/door-refused.png' });
      await next(one);
      await one.getByRole('button', { name: 'Pause camera', pressed: false }).click();
      expect(await verdict(one).isVisible()).toBe(false);
      expect(await seriousAxeViolations(one)).toEqual([]);

      // device two, no camera: the reference typed
      const two = await pages.page(PHONE, doors[1]);
      await openScanner(two);
      await two.getByText(/No camera/).waitFor();

      // the network cut on both
      await one.context().setOffline(true);
      await two.context().setOffline(true);
      await one.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
      await two.getByRole('status').filter({ hasText: 'Offline' }).waitFor();

      await type(one, `${reference} A2`);
      await expectVerdict(one, 'Admitted', 'A2');
      await verdict(one).getByText('Decided offline').waitFor();
      await one.screenshot({ path: 'test/browser/failures/door-offline.png' });
      await next(one);
      await type(one, `${reference.toLowerCase()} a2`);
      await expectVerdict(one, 'Already admitted', 'A2');
      await next(one);
      // the camera's ticket, offline: refused from what the device knows
      await one.getByRole('button', { name: 'Pause camera', pressed: true }).click();
      await expectVerdict(one, 'Already admitted', 'A1');
      await next(one);
      // the code still in front of the camera is not read again at once: time to pause
      await one.getByRole('button', { name: 'Pause camera', pressed: false }).click();
      await one.getByRole('button', { name: 'Pause camera', pressed: true }).waitFor();
      expect(await verdict(one).isVisible()).toBe(false);

      // device two lets A2 in too: it cannot know
      await type(two, `${reference} A2`);
      await expectVerdict(two, 'Admitted', 'A2');
      await next(two);
      await type(two, 'https://example.org/not-a-ticket');
      await expectVerdict(two, 'Not a ticket');
      await next(two);
      await type(two, tickets.find((t) => t.seat === 'A1')!.code.slice(0, 100));
      await expectVerdict(two, 'Not a ticket');
      await next(two);

      // back online: both journals upload, every scan once, and the conflict shows
      await one.context().setOffline(false);
      await two.context().setOffline(false);
      await one.getByRole('status').filter({ hasText: 'Online' }).waitFor({ timeout: 20_000 });
      await two.getByRole('status').filter({ hasText: 'Online' }).waitFor({ timeout: 20_000 });
      await one.getByText(/all uploaded/).waitFor({ timeout: 20_000 });
      await two.getByText(/all uploaded/).waitFor({ timeout: 20_000 });
      const scans = [...(await journal(one)), ...(await journal(two))];
      const report = await eventually(async () => {
        const r = (await stack.api('GET', `/showtimes/${show.id}/checkins`, { token: doors[0] })).body;
        return r.counts.scans === scans.length ? r : undefined;
      }, 20_000, 'every scan on the server');
      expect(new Set(report.scans.map((s: any) => s.scanId))).toEqual(new Set(scans.map((s) => s.scan.scanId)));
      expect(report.counts).toMatchObject({ tickets: 2, admitted: 2, conflicts: 1 });
      expect(report.conflicts).toEqual([expect.objectContaining({ seat: 'A2' })]);
      // uploaded again (a device that lost its marks): counted once
      for (const s of scans) expect((await stack.api('POST', '/checkins', { token: doors[1], body: s.scan })).body.checkin.replayed).toBe(true);
      expect((await stack.api('GET', `/showtimes/${show.id}/checkins`, { token: doors[0] })).body.counts.scans).toBe(scans.length);

      for (const page of [one, two]) await page.getByRole('heading', { name: 'Conflicts' }).waitFor({ timeout: 20_000 });
      await expect(two.getByRole('listitem').filter({ hasText: /^Seat A2: admitted by door-\w+ and, offline, by door-\w+$/ }).count()).resolves.toBe(1);
      await two.screenshot({ path: 'test/browser/failures/door-conflict.png', fullPage: true });
      await keepScreenshot(two, 'door-conflict');
      expect(await seriousAxeViolations(two)).toEqual([]);
    });
  });

  it('verifies ticket codes in the page with the same module the server uses (the browser figure)', async () => {
    await pages.steps('door-speed', async () => {
      const page = await pages.page(PHONE);
      await page.goto('/');
      const bundle = await build({ entryPoints: [join(ROOT, 'layers/contracts/ticket-code.ts')], bundle: true, format: 'iife', globalName: 'TicketCode', write: false, absWorkingDir: ROOT });
      await page.evaluate(`${bundle.outputFiles[0]!.text};window.TicketCode = TicketCode;`);
      const keys = (await stack.api('GET', '/tickets/keys')).body.keys;
      const { perSecond, ok } = await page.evaluate(
        ({ code, keys }) => {
          const T = (window as any).TicketCode;
          let n = 0;
          let ok = true;
          const t0 = performance.now();
          while (performance.now() - t0 < 1500) {
            ok = ok && T.verifyTicketCode(code, keys).ok;
            n++;
          }
          return { perSecond: Math.round((n * 1000) / (performance.now() - t0)), ok };
        },
        { code: tickets[0]!.code, keys },
      );
      expect(ok).toBe(true);
      expect(perSecond).toBeGreaterThan(10);
      console.log(`door figures: QR version ${qr.version} (${qr.modules} modules), code ${tickets[0]!.code.length} characters; ${perSecond} verifications/s in Chromium`);
    });
  });
});
