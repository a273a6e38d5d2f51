import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature';

const secret = 'whsec_test_0123456789abcdef0123456789abcdef';
const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', data: { sessionId: 'tps_1', amount: 2400 } });

describe('webhook signatures', () => {
  it('accepts its own signature within the window', () => {
    expect(verifyWebhook(secret, signWebhook(secret, body, 1_000), body, 1_100, 300)).toEqual({ ok: true, timestamp: 1_000 });
  });
  it('refuses an altered body, another secret, an old or future timestamp, and garbage', () => {
    const header = signWebhook(secret, body, 1_000);
    expect(verifyWebhook(secret, header, body.replace('2400', '1'), 1_000, 300)).toMatchObject({ ok: false, reason: 'signature does not match' });
    expect(verifyWebhook('another-secret', header, body, 1_000, 300).ok).toBe(false);
    expect(verifyWebhook(secret, header, body, 1_301, 300)).toMatchObject({ ok: false, reason: /tolerance/ });
    expect(verifyWebhook(secret, header, body, 699, 300).ok).toBe(false);
    expect(verifyWebhook(secret, 't=abc,v1=zz', body, 1_000, 300)).toMatchObject({ ok: false, reason: /malformed/ });
    expect(verifyWebhook(secret, undefined, body, 1_000, 300)).toMatchObject({ ok: false, reason: /missing/ });
    expect(verifyWebhook(secret, header.replace(/v1=../, 'v1=00'), body, 1_000, 300).ok).toBe(false);
  });
});
