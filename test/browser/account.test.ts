/// <reference lib="dom" />
// A customer's account in the web app, in a real Chromium against a stack of its own: signing in
// with an identity provider (the development provider's own page, as on a local stage) from the
// sign-in page, and the sessions page where any session can be ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { startTestStack, signUp, type TestStack } from '../support/stack';
import { buildTestWebApp, customerPages, keepScreenshot, keepingScreenshots, launchChromium, seriousAxeViolations, DESKTOP, PHONE } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let web: Awaited<ReturnType<typeof buildTestWebApp>>;

beforeAll(async () => {
  web = await buildTestWebApp();
  [stack, browser] = await Promise.all([startTestStack({ WEB_DIST_DIR: web.dir }), launchChromium()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  web?.remove();
});

const pages = customerPages(() => ({ browser, url: stack.url }));
const steps = pages.steps;
const visitor = (viewport = DESKTOP) => pages.page(viewport);

async function expectAccessible(page: Page, what: string) {
  const found = await seriousAxeViolations(page);
  expect(found, `${what}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
}

const SHOTS = keepingScreenshots;
const keep = keepScreenshot;

/** Whether a session token is still honoured by the API. */
const honoured = async (token: string) => (await stack.api('GET', '/auth/me', { token })).status === 200;

describe('the account in the web app', () => {
  it('signs in with the development identity provider from the sign-in page, and back again after a cancel', async () => {
    await steps('provider-sign-in', async () => {
      const page = await visitor(SHOTS ? PHONE : DESKTOP);
      const email = `provider-${randomBytes(4).toString('hex')}@example.test`;
      await page.goto('/#/signin?next=%23%2Fbookings');
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      const withProvider = page.getByRole('group', { name: 'Other ways to sign in' }).getByRole('button', { name: 'Sign in with Development identity provider' });
      await withProvider.waitFor();
      await expectAccessible(page, 'sign-in');
      await keep(page, 'sign-in');

      // a change of mind at the provider: back on the sign-in page, told so in words
      await withProvider.click();
      await page.getByRole('heading', { name: 'Sign in to Cinema' }).waitFor();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('alert').getByText('You cancelled signing in with the provider.').waitFor();
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      expect(await page.getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(1);

      await withProvider.click();
      await page.getByRole('heading', { name: 'Sign in to Cinema' }).waitFor();
      await page.getByRole('textbox', { name: 'Email' }).fill(email);
      await page.getByRole('textbox', { name: 'Name' }).fill('Pia Provider');
      await page.getByRole('button', { name: 'Sign in' }).click();

      // back in the app, signed in, on the page the sign-in was for, the one-time code gone from the address
      await page.getByRole('status').getByText('Welcome, Pia Provider.').waitFor();
      await page.getByRole('heading', { name: 'My bookings' }).waitFor();
      await page.getByRole('link', { name: 'Pia Provider: your sessions' }).waitFor();
      expect(new URL(page.url()).hash).toBe('#/bookings');
      const token = await page.evaluate(() => localStorage.getItem('cinema.session'));
      expect((await stack.api('GET', '/auth/me', { token: token! })).body.user).toMatchObject({ email, name: 'Pia Provider' });

      // the sessions page says how this one signed in
      await page.getByRole('link', { name: 'Pia Provider: your sessions' }).click();
      const list = page.getByRole('list', { name: 'Open sessions' });
      await list.getByText('This device').waitFor();
      await list.getByText('signed in with dev (identity provider)').waitFor();
      expect(await list.getByRole('listitem').count()).toBe(1);
    });
  }, 120_000);

  it('lists the account\'s sessions and ends one, then every other, by clicks', async () => {
    await steps('sessions', async () => {
      // two sessions elsewhere (the API signs in as any client would), then this browser
      const account = await signUp(stack.api, { name: 'Sam Sessions' });
      const elsewhere = [account.token, (await stack.api('POST', '/auth/login', { body: { email: account.email, password: account.password } })).body.token as string];
      const page = await visitor();
      await page.goto('/#/signin');
      await page.getByRole('textbox', { name: 'Email' }).fill(account.email);
      await page.getByLabel('Password').fill(account.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('link', { name: 'Sam Sessions: your sessions' }).click();

      const list = page.getByRole('list', { name: 'Open sessions' });
      const items = list.getByRole('listitem');
      await list.getByText('This device').waitFor();
      expect(await items.count()).toBe(3);
      expect(await list.getByText('signed in with your password').count()).toBe(3);
      await expectAccessible(page, 'sessions');
      await keep(page, 'sessions');

      // one ended: the newest other session (the list is newest first, this device on top)
      expect(await list.getByRole('button', { name: 'Sign out here' }).count()).toBe(1);
      await list.getByRole('button', { name: 'End this session' }).first().click();
      await page.getByRole('status').getByText('That session is ended: it is signed out.').waitFor();
      await expect.poll(() => items.count()).toBe(2);
      expect([await honoured(elsewhere[0]), await honoured(elsewhere[1])]).toEqual([true, false]);

      // every other one ended; this browser stays signed in
      await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
      await page.getByRole('status').getByText('One other session is ended.').waitFor();
      await expect.poll(() => items.count()).toBe(1);
      expect(await honoured(elsewhere[0])).toBe(false);
      expect(await page.getByRole('button', { name: 'Sign out everywhere else' }).count()).toBe(0);
      const mine = (await page.evaluate(() => localStorage.getItem('cinema.session')))!;
      expect(await honoured(mine)).toBe(true);

      // and this one, from the list: signed out here too
      await list.getByRole('button', { name: 'Sign out here' }).click();
      await page.getByRole('status').getByText('You are signed out.').waitFor();
      await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
      expect(await honoured(mine)).toBe(false);
    });
  }, 120_000);
});
