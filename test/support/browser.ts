/// <reference lib="dom" />
// Real Chromium for the browser tests and the page benchmark: Debian's `chromium` driven by
// playwright-core (no browser download), one context per customer, axe injected on demand.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../../infra/local/gateway';
import { buildWebApp } from '../../web/build';

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
  if (!path) throw new Error('chromium is not installed (apt-get install -y chromium)');
  return path;
}

/** `args`: more of Chromium's switches (a fake camera fed from a file, for the door's scanner). */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // root cannot run Chromium's sandbox
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...args],
    headless: true,
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export async function customerContext(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
  return context;
}

/** The web app built into a folder of the caller's own (WEB_DIST_DIR for its stack), so runs never share files. */
export async function buildTestWebApp(): Promise<{ dir: string; remove(): void }> {
  const dir = join(ROOT, '.esbuild', `web-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  await buildWebApp(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations: AxeViolation[] = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n: any) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Keeps a screenshot of every open page when a test fails (under test/browser/failures, git-ignored). */
export async function screenshotOnFailure(contexts: BrowserContext[], name: string): Promise<string[]> {
  const dir = join(ROOT, 'test', 'browser', 'failures');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [i, context] of contexts.entries()) {
    for (const [j, page] of context.pages().entries()) {
      const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}-${i}-${j}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      files.push(file);
    }
  }
  return files;
}

/**
 * The browser contexts of one test file: `page()` opens a customer's (signed in with `token`
 * when given), `steps()` runs a test's steps, keeps a screenshot of every open page when they
 * fail, and closes the contexts after.
 */
export function customerPages(session: () => { browser: Browser; url: string }) {
  const contexts: BrowserContext[] = [];
  return {
    async page(viewport = DESKTOP, token?: string): Promise<Page> {
      const { browser, url } = session();
      const context = await customerContext(browser, url, viewport);
      if (token) await context.addInitScript((t) => localStorage.setItem('cinema.session', t), token);
      contexts.push(context);
      return context.newPage();
    },
    async steps(name: string, work: () => Promise<void>): Promise<void> {
      try {
        await work();
      } catch (err) {
        const files = await screenshotOnFailure(contexts, name);
        throw Object.assign(err as Error, { message: `${(err as Error).message}\nscreenshots: ${files.join(', ')}` });
      } finally {
        await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
      }
    },
  };
}

// With UPDATE_SCREENSHOTS=1 the browser tests keep their main pages for README, at phone and desktop width.
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : undefined;
export const keepingScreenshots = SHOTS !== undefined;
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}-${(page.viewportSize()?.width ?? 0) < 600 ? 'phone' : 'desktop'}.png`), fullPage: true });
}
