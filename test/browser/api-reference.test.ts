// The API reference at /docs, in Chromium: swagger-ui (served by us, under the page's CSP)
// reads /openapi.json and shows every tag's routes; the page fetches nothing from elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack';
import { join } from 'node:path';
import { ROOT } from '../../infra/local/gateway';
import { buildTestWebApp, customerPages, keepingScreenshots, launchChromium, DESKTOP } from '../support/browser';
import { loadApiDocument } from '../support/openapi';

let stack: TestStack;
let browser: Browser;
let web: Awaited<ReturnType<typeof buildTestWebApp>>;
const pages = customerPages(() => ({ browser, url: stack.url }));

beforeAll(async () => {
  web = await buildTestWebApp();
  stack = await startTestStack({ WEB_DIST_DIR: web.dir });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  web?.remove();
});

describe('the API reference page', () => {
  it('renders the document: its title, every tag, a route’s request body and answers', async () => {
    await pages.steps('api reference', async () => {
      const page = await pages.page(DESKTOP);
      const elsewhere: string[] = [];
      const refused: string[] = [];
      page.on('request', (r) => void (new URL(r.url()).origin !== stack.url && !r.url().startsWith('data:') && elsewhere.push(r.url())));
      page.on('console', (m) => void (m.type() === 'error' && refused.push(m.text())));
      await page.goto('/docs');
      await expect.poll(() => page.getByRole('heading', { name: /Cinema platform API/ }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
      for (const { name } of loadApiDocument().tags as { name: string }[]) {
        // a tag's heading reads its name, then its controls
        expect(await page.getByRole('heading', { name: new RegExp(`^${name}\\b`) }).count(), name).toBeGreaterThan(0);
      }
      // open one operation: its body schema and its answers are there
      await page.getByRole('button', { name: /POST \/cart\/holds/ }).first().click();
      await expect.poll(() => page.getByText('showtimeId').count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByText(/A seat is held by someone else or sold/).count()).toBeGreaterThan(0);
      if (keepingScreenshots) {
        // the page is long: its top, and the opened operation
        const shots = join(ROOT, 'docs', 'screenshots');
        await page.locator('.opblock.is-open').first().screenshot({ path: join(shots, 'api-reference-operation-desktop.png') });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(shots, 'api-reference-desktop.png') });
      }
      expect(elsewhere).toEqual([]);
      expect(refused.filter((t) => /Content Security Policy|Refused/.test(t))).toEqual([]);
    });
  });
});
