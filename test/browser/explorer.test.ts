/// <reference lib="dom" />
// The ledger explorer in a real Chromium, against a stack of its own and a real 4-replica
// cluster: the page reads a replica's blocks across origins and verifies the chain in the
// browser with the genesis the auditor pastes; a block altered in one replica's database is
// named by the page; the proof a customer downloads from their booking page verifies when
// dropped on the page, and the same file with one byte changed is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { scheduleShowtime, buy, bookingFor } from '../support/flow';
import { buildTestWebApp, customerPages, keepScreenshot, launchChromium, seriousAxeViolations, DESKTOP, PHONE } from '../support/browser';
import { startTestCluster, type TestCluster } from '../../blockchain-nodes/test/runtime/support';

let cluster: TestCluster;
let stack: TestStack;
let browser: Browser;
let admin: string;
let web: Awaited<ReturnType<typeof buildTestWebApp>>;

beforeAll(async () => {
  web = await buildTestWebApp();
  cluster = await startTestCluster();
  [stack, browser] = await Promise.all([startTestStack({ ...cluster.env, WEB_DIST_DIR: web.dir }, { events: true, chain: cluster.client }), launchChromium()]);
  admin = (await signUpAdmin(stack)).token;
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await cluster?.destroy();
  web?.remove();
});

const pages = customerPages(() => ({ browser, url: stack.url }));

/** A customer's purchase whose payment and booking are final on the chain. */
async function purchase(seats: string[]) {
  const { showtimeId } = await scheduleShowtime(stack, admin);
  const customer = await signUp(stack.api);
  const bought = await buy(stack.api, customer.token, showtimeId, seats);
  const booking = await bookingFor(stack, bought.paymentId!);
  const facts = await eventually(async () => {
    const { rows } = await stack.db.pool('ledger').query(`SELECT event_type, status, height FROM ledger_entries WHERE payment_id = $1`, [bought.paymentId]);
    return rows.length === 2 && rows.every((r) => r.status === 'final') ? rows : undefined;
  }, 60_000, 'the payment and the booking final on the chain');
  return { customer, booking, paymentId: bought.paymentId!, facts };
}

async function openExplorer(page: Page) {
  await page.goto('/#/explorer');
  await page.getByRole('heading', { name: 'Ledger explorer' }).waitFor();
  // the cinema's own genesis to start with, its first replica in the field
  await page.getByTestId('genesis-in-use').getByText(cluster.files.genesis.chainName).waitFor();
  await expect.poll(() => page.getByLabel('Replica URL').inputValue()).toBe(cluster.files.genesis.replicas[0].address);
}

async function readReplica(page: Page, id: number) {
  await page.getByLabel('Replica URL').fill(cluster.urls[id]);
  await page.getByRole('button', { name: 'Read this replica' }).click();
}

/** A file dropped on the page as a person drags it from their desktop. */
async function dropFile(page: Page, name: string, text: string) {
  const data = await page.evaluateHandle(
    ({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'application/json' }));
      return transfer;
    },
    { name, text },
  );
  const zone = page.getByRole('group', { name: 'Drop a booking proof file here' });
  await zone.dispatchEvent('dragover', { dataTransfer: data });
  await zone.dispatchEvent('drop', { dataTransfer: data });
}

describe('the ledger explorer', () => {
  it('verifies a real 4-replica chain in the browser against the genesis the auditor pastes, and pages through its blocks', async () => {
    await pages.steps('explorer verifies', async () => {
      const { booking } = await purchase(['A1', 'A2']);
      // more blocks than one page holds
      for (let i = 0; i < 11; i++) await cluster.client.submitAndAwaitFinal(cluster.tx({ filler: i }), { timeoutMs: 20_000 });
      await cluster.converged([0, 1, 2, 3], 12, 30_000);

      const page = await pages.page(DESKTOP);
      await openExplorer(page);
      // the auditor's own copy of the genesis, not the server's
      await page.getByLabel('Genesis JSON').fill(readFileSync(cluster.files.genesisFile, 'utf8'));
      await page.getByRole('button', { name: 'Use the pasted genesis' }).click();
      await page.getByTestId('genesis-in-use').getByText('from what you pasted').waitFor();
      await readReplica(page, 1);

      const height = (await cluster.api(1, 'GET', '/status')).body.height as number;
      await page.getByText(new RegExp(`^Block ${height} ·`)).waitFor();
      await page.getByRole('button', { name: 'Verify the whole chain' }).click();
      const verdict = page.getByTestId('chain-verdict');
      await verdict.waitFor({ timeout: 60_000 });
      const stored = await cluster.pool(1).query(`SELECT count(*)::int AS blocks, sum(json_array_length(transactions))::int AS transactions FROM blocks`);
      expect(await verdict.textContent()).toContain(`Valid: all ${stored.rows[0].blocks} blocks and ${stored.rows[0].transactions} transactions from ${cluster.urls[1]}`);

      // the booking's block shows its ids, not who bought what: it is on an older page
      const withBooking = page.locator('li.block').filter({ hasText: booking.id });
      for (let i = 0; i < 5 && (await withBooking.count()) === 0; i++) {
        const shown = await page.getByText(/^Blocks \d+–\d+ of/).textContent();
        await page.getByRole('button', { name: 'Older blocks' }).click();
        await expect.poll(() => page.getByText(/^Blocks \d+–\d+ of/).textContent()).not.toBe(shown);
      }
      await withBooking.locator('summary').click();
      await withBooking.getByText('committed, not shown: userId, seats, amount').first().waitFor();
      expect(await page.locator('main').textContent()).not.toContain(booking.user_id);
      expect(await seriousAxeViolations(page), 'explorer').toEqual([]);
      await keepScreenshot(page, 'explorer');
      const phone = await pages.page(PHONE);
      await openExplorer(phone);
      await phone.getByRole('button', { name: 'Verify the whole chain' }).click();
      await phone.getByTestId('chain-verdict').getByText(/^Valid: all/).waitFor({ timeout: 60_000 });
      await keepScreenshot(phone, 'explorer');
    });
  }, 240_000);

  it('names the block altered in one replica\'s database; the other replicas still verify', async () => {
    await pages.steps('explorer names the bad block', async () => {
      const { booking, facts } = await purchase(['B1']);
      const height = Number(facts.find((f) => f.event_type === 'booking.confirmed').height);
      await cluster.converged([0, 1, 2, 3], height, 30_000);
      // someone with access to replica 2's database rewrites which showtime the booking was for
      const altered = await cluster.pool(2).query(`UPDATE blocks SET transactions = replace(transactions::text, $1, $2)::json WHERE height = $3`, [booking.showtime_id, randomUUID(), height]);
      expect(altered.rowCount).toBe(1);

      const page = await pages.page();
      await openExplorer(page);
      await readReplica(page, 2);
      await page.getByRole('button', { name: 'Verify the whole chain' }).click();
      const verdict = page.getByTestId('chain-verdict');
      await verdict.waitFor({ timeout: 60_000 });
      expect(await verdict.textContent()).toBe(`Block ${height} is not valid: transaction root does not match the transactions. Blocks 1–${height - 1} are valid.`);
      // and the list marks it, the blocks before it verified
      await page.getByText(new RegExp(`^Block ${height}\\s*not valid ·`)).waitFor();
      await page.getByText(new RegExp(`^Block ${height - 1}\\s*verified ·`)).waitFor();
      await keepScreenshot(page, 'explorer-bad-block');

      await readReplica(page, 3);
      await page.getByRole('button', { name: 'Verify the whole chain' }).click();
      await page.getByTestId('chain-verdict').getByText(/^Valid: all/).waitFor({ timeout: 60_000 });
    });
  }, 180_000);

  it('verifies by drag-and-drop the proof downloaded from the customer\'s booking page, and refuses it with one byte changed', async () => {
    await pages.steps('proof by drag and drop', async () => {
      const { customer, booking, paymentId, facts } = await purchase(['C3', 'C4']);
      const page = await pages.page(DESKTOP, customer.token);
      await page.goto(`/#/bookings/${booking.id}`);
      await page.getByRole('heading', { name: 'Booking confirmed' }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download proof' }).click()]);
      const text = readFileSync((await download.path())!, 'utf8');
      expect(JSON.parse(text)).toMatchObject({ format: 'cinema-booking-proof/2', bookingId: booking.id });

      await openExplorer(page);
      await dropFile(page, download.suggestedFilename(), text);
      const verdict = page.getByTestId('proof-verdict');
      await verdict.getByText('Genuine:').waitFor();
      const words = (await verdict.textContent())!;
      expect(words).toContain(`Booking ${booking.id}, seats C3, C4, 30.00 EUR, paid by payment ${paymentId}, customer ${customer.user.id}.`);
      for (const f of facts) expect(words).toMatch(new RegExp(`\\(${f.event_type.replace('.', '\\.')}\\) is in block ${f.height} of chain "${cluster.files.genesis.chainName}", committed .* and signed by replicas \\d, \\d, \\d(, \\d)? of 4\\.`));
      expect(await seriousAxeViolations(page), 'proof verdict').toEqual([]);
      await keepScreenshot(page, 'explorer-proof');

      // one byte of the file changed: a digit of the disclosed amount, then a hex digit of a signature
      const amountAt = text.indexOf('"value": 3000');
      expect(amountAt).toBeGreaterThan(0);
      const cheaper = text.slice(0, amountAt) + '"value": 2000' + text.slice(amountAt + 13);
      await dropFile(page, 'cheaper.json', cheaper);
      await verdict.getByText('Not valid:').waitFor();
      expect(await verdict.textContent()).toMatch(/cheaper\.json does not prove a booking: fact \d \(.*\): the disclosed amount does not match the commitment on the chain/);

      const sigAt = text.indexOf('"signature": "') + 14;
      const forged = text.slice(0, sigAt) + (text[sigAt] === '0' ? '1' : '0') + text.slice(sigAt + 1);
      await page.getByLabel('Booking proof file', { exact: true }).setInputFiles({ name: 'forged.json', mimeType: 'application/json', buffer: Buffer.from(forged) });
      await verdict.getByText('Not valid:').waitFor();
      await expect.poll(async () => verdict.textContent()).toMatch(/forged\.json does not prove a booking: fact 0 \(payment\.success\): .*signature/);
    });
  }, 180_000);
});
