// The explorer's verification in a browser against the CLI's, in the same run: transactions
// of a real 4-replica chain verified per second — every header link, Merkle root, commit
// certificate and transaction signature — by the explorer page in Chromium (the shared
// verifier bundled, pure-JavaScript secp256k1) and by `cinema chain verify --node`'s own code
// path in Node (the same verifier, with OpenSSL's ECDSA installed), both reading the chain
// from the replica's HTTP API. The chain is made of real ledger facts (sealed booking and
// payment transactions, signed by the ledger key). A third row: the Node path with the
// pure-JavaScript verifier, which tells the engine from the crypto backend.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { startTestCluster } from '../blockchain-nodes/test/runtime/support';
import { httpBlockSource, secp256k1Signer, verifySource, verifyWithNoble, type Verifier, type VerifyReport } from '../blockchain-nodes/protocol';
import { ledgerFact } from '../functions/ledger/facts';
import { newEvent } from '../layers/events/envelope';
import { buildTestWebApp, customerContext, launchChromium } from '../test/support/browser';
import { freePort } from '../test/support/ports';
import { interleaved, median, printTable, roundName } from './lib/stats';
import { runBench, within } from './lib/checks';

process.env.LOG_LEVEL = 'error';
const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 100;

/** The built web app on a port of its own: the page's origin (the explorer reads the replica across origins). */
async function serveWebApp(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
    try {
      const body = readFileSync(join(dir, file.replace(/\.\.+/g, '')));
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"no such file"}}');
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

await runBench(async (checks) => {
  const web = await buildTestWebApp();
  const cluster = await startTestCluster();
  const site = await serveWebApp(web.dir);
  const browser = await launchChromium();
  try {
    // a chain of real ledger facts
    const signer = secp256k1Signer(cluster.ledgerKey);
    const fact = () =>
      ledgerFact(
        newEvent(
          'booking.confirmed',
          { bookingId: randomUUID(), paymentId: randomUUID(), checkoutId: randomUUID(), userId: randomUUID(), showtimeId: randomUUID(), seats: ['C5', 'C6'], amount: 3000, currency: 'EUR' },
          { source: 'booking' },
        ),
        signer,
      ).transaction;
    const t0 = performance.now();
    for (let sent = 0; sent < TRANSACTIONS; sent += CONCURRENCY) {
      await within(120_000, 'a batch of transactions final', Promise.all(Array.from({ length: Math.min(CONCURRENCY, TRANSACTIONS - sent) }, () => cluster.client.submitAndAwaitFinal(fact(), { timeoutMs: 60_000 }))));
    }
    const [head] = (await cluster.converged([0, 1, 2, 3], 1, 60_000)).slice(-1);
    console.error(`[explorer bench] ${TRANSACTIONS} facts final in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${head.height} blocks`);
    const replica = cluster.urls[1];
    const genesisText = readFileSync(cluster.files.genesisFile, 'utf8');

    const context = await customerContext(browser, site.url);
    context.setDefaultTimeout(300_000);
    const page = await context.newPage();
    await page.goto('/#/explorer');
    await page.getByLabel('Genesis JSON').fill(genesisText);
    await page.getByRole('button', { name: 'Use the pasted genesis' }).click();
    await page.getByLabel('Replica URL').fill(replica);
    await page.getByRole('button', { name: 'Read this replica' }).click();

    type Run = { transactions: number; blocks: number; ok: boolean; seconds: number };
    const inBrowser = async (): Promise<Run> => {
      // a new run each time: "Read this replica" resets the verdict
      await page.getByRole('button', { name: 'Read this replica' }).click();
      await page.getByRole('button', { name: 'Verify the whole chain' }).click();
      const verdict = page.getByTestId('chain-verdict');
      await verdict.waitFor();
      const text = (await verdict.textContent()) ?? '';
      const transactions = Number(await verdict.getAttribute('data-transactions'));
      return { transactions, blocks: Number(text.match(/all (\d+) blocks/)?.[1]), ok: text.startsWith('Valid'), seconds: Number(await verdict.getAttribute('data-ms')) / 1000 };
    };
    const inNode = (verify?: Verifier) => async (): Promise<Run> => {
      const source = httpBlockSource(replica);
      const started = performance.now();
      try {
        const report: VerifyReport = await verifySource(cluster.files.genesis, source, verify ? { verify } : {});
        return { transactions: report.transactions, blocks: report.verdict.height, ok: report.verdict.ok, seconds: (performance.now() - started) / 1000 };
      } finally {
        await source.close();
      }
    };

    const runs = await interleaved(ROUNDS, { browser: inBrowser, cli: inNode(), nodeNoble: inNode(verifyWithNoble) }, (name, r, run) =>
      console.error(`[explorer bench] ${name} ${roundName(r)}: ${run.transactions} transactions in ${run.seconds.toFixed(2)} s (${Math.round(run.transactions / run.seconds)}/s), ${run.ok ? 'valid' : 'INVALID'}`),
    );
    const rate = (rs: Run[]) => median(rs.map((r) => r.transactions / r.seconds));
    const cli = rate(runs.cli);
    printTable(`Explorer — a ${head.height}-block chain of ${TRANSACTIONS} ledger facts verified from a replica's HTTP API (links, Merkle roots, certificates, every signature), ${ROUNDS} rounds interleaved after a warm-up`, [
      { figure: 'in the browser (Chromium, the explorer page)', value: rate(runs.browser), unit: 'tx/s', baseline: { name: 'the CLI (cinema chain verify --node), Node with OpenSSL', value: cli } },
      { figure: 'Node with the browser\'s pure-JS verifier', value: rate(runs.nodeNoble), unit: 'tx/s', baseline: { name: 'the CLI', value: cli } },
    ]);
    for (const [name, rs] of Object.entries(runs)) {
      checks.expect(rs.every((r) => r.ok && r.transactions === TRANSACTIONS && r.blocks === head.height), `${name}: every round found all ${head.height} blocks and ${TRANSACTIONS} transactions valid (${rs.map((r) => `${r.blocks}/${r.transactions}`).join(', ')})`);
    }
  } finally {
    await browser.close();
    await site.close();
    await cluster.destroy();
    web.remove();
  }
});
