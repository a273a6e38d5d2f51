// Ticket codes at the door: how big a code is, its QR version, and how many scans are verified
// a second — on the server (the ticket-code module with the native check, as the check-in
// function runs it, and with noble), against node:crypto's bare verify of the same signature;
// in Chromium (the door page's own module, offline), against reading the code without the
// signature check in the same page; and whole check-ins through the gateway (10 devices at once), against a public GET.
import { randomUUID, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';
import QRCode from 'qrcode';
import * as secp from '@noble/secp256k1';
import { base45Decode, issueTicketCode, ticketPublicKey, verifyTicketCode } from '../layers/contracts/ticket-code';
import { nativeCheck } from '../functions/booking/ticket-verifier';
import { ROOT } from '../infra/local/gateway';
import { startTestStack, signUp, signUpAdmin } from '../test/support/stack';
import { bookingFor, buy, scheduleShowtime } from '../test/support/flow';
import { launchChromium } from '../test/support/browser';
import { median, opsPerSecond, printTable, repeat } from './lib/stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

// SubjectPublicKeyInfo prefix of a compressed secp256k1 key, for node:crypto
const SPKI = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');

async function main() {
  const secret = secp.utils.randomSecretKey();
  const keys = [{ keyId: 1, publicKey: ticketPublicKey(secret) }];
  const now = Math.floor(Date.now() / 1000);
  const code = issueTicketCode({ keyId: 1, ticketId: randomUUID(), showtimeId: randomUUID(), bookingId: randomUUID(), seat: 'C12', validFrom: now, validUntil: now + 3600 }, secret);
  const bytes = base45Decode(code)!;
  const qr = QRCode.create(code, { errorCorrectionLevel: 'M' });

  // the same signature checked natively (r‖s as IEEE P1363), over the same tagged message
  const signed = bytes.subarray(0, bytes.length - 64);
  const sig = bytes.subarray(bytes.length - 64);
  const message = Buffer.concat([Buffer.from('cinema ticket\n'), signed]);
  const key = createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(keys[0]!.publicKey, 'hex')]), format: 'der', type: 'spki' });
  if (!nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, sig) || !verifyTicketCode(code, keys).ok) throw new Error('the two verifiers disagree');
  const server = median(await repeat(ROUNDS, () => opsPerSecond(() => verifyTicketCode(code, keys), 500)));
  const native = median(await repeat(ROUNDS, () => opsPerSecond(() => nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, sig), 500)));
  const checkIn = median(await repeat(ROUNDS, () => opsPerSecond(() => verifyTicketCode(code, keys, nativeCheck), 500)));

  // in Chromium: the module the door page bundles
  const browser = await launchChromium();
  let page: { verify: number; sha: number };
  try {
    const p = await browser.newPage();
    const bundle = await build({ entryPoints: [join(ROOT, 'layers/contracts/ticket-code.ts')], bundle: true, format: 'iife', globalName: 'TicketCode', write: false, absWorkingDir: ROOT });
    await p.evaluate(`${bundle.outputFiles[0]!.text};window.TicketCode = TicketCode;`);
    // a string, so that the bench's own transpiler adds nothing the page lacks
    const inPage = `(async ({ code, keys }) => {
      const T = window.TicketCode;
      async function rate(body) {
        let n = 0;
        const t0 = performance.now();
        while (performance.now() - t0 < 500) { await body(); n++; }
        return (n * 1000) / (performance.now() - t0);
      }
      return { verify: await rate(() => T.verifyTicketCode(code, keys)), sha: await rate(() => T.readTicketCode(code)) };
    })(${JSON.stringify({ code, keys })})`;
    const rounds: { verify: number; sha: number }[] = await repeat(ROUNDS, () => p.evaluate(inPage));
    page = { verify: median(rounds.map((r) => r.verify)), sha: median(rounds.map((r) => r.sha)) };
  } finally {
    await browser.close();
  }

  // whole check-ins through the gateway, 10 devices at once
  const stack = await startTestStack({ LOG_LEVEL: 'error' }, { events: true });
  let http: { checkins: number; get: number };
  try {
    const admin = (await signUpAdmin(stack)).token;
    const { showtimeId } = await scheduleShowtime(stack, admin, { startsInMinutes: 30 });
    const customer = await signUp(stack.api);
    const booking = await bookingFor(stack, (await buy(stack.api, customer.token, showtimeId, ['A1'])).paymentId!);
    const ticketCode = (await stack.api('GET', `/bookings/${booking.id}/tickets`, { token: customer.token })).body.tickets[0].code;
    const door = admin;
    const rate = async (call: (i: number) => Promise<unknown>) => {
      const t0 = performance.now();
      let n = 0;
      await Promise.all(Array.from({ length: 10 }, async () => {
        while (performance.now() - t0 < 3000) await call(n++);
      }));
      return (n * 1000) / (performance.now() - t0);
    };
    const device = (i: number) => ({ code: ticketCode, deviceId: `d${i % 10}`, scanId: randomUUID(), scannedAt: new Date().toISOString() });
    await rate((i) => stack.api('POST', '/checkins', { token: door, body: device(i) }));
    const rounds = await repeat(3, async () => ({
      checkins: await rate((i) => stack.api('POST', '/checkins', { token: door, body: device(i) })),
      get: await rate(() => stack.api('GET', '/tickets/keys')),
    }));
    http = { checkins: median(rounds.map((r) => r.checkins)), get: median(rounds.map((r) => r.get)) };
  } finally {
    await stack.stop();
  }

  printTable('Ticket codes at the door (bench/tickets.bench.ts)', [
    { figure: `ticket code (seat "C12"): ${bytes.length} bytes as ${code.length} base45 characters; QR version at level M`, value: qr.version, unit: '' },
    { figure: 'scans verified on the server, as check-in does (the module with the native check)', value: checkIn, unit: '/s', baseline: { name: "node:crypto's bare verify of the same signature", value: native } },
    { figure: 'scans verified on the server by the module with noble (as the page does)', value: server, unit: '/s', baseline: { name: "node:crypto's bare verify of the same signature", value: native } },
    { figure: 'scans verified in Chromium (the door page\'s module)', value: page.verify, unit: '/s', baseline: { name: 'reading the code without its signature check, same page', value: page.sha } },
    { figure: 'check-ins through the gateway, 10 devices at once', value: http.checkins, unit: '/s', baseline: { name: 'GET /tickets/keys', value: http.get } },
  ]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
