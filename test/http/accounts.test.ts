// The account attacks of issue 17, each tried through the gateway: (a) a lockout anyone can
// cause, (b) an older reset token that still works, (c) reset mails without limit, (d) an
// email change without the password, (e) a registration that says the email is taken; and the
// account's list of its sessions, ended one by one or all at once.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, type Api, type TestStack } from '../support/stack';
import { readMailbox } from '../../functions/auth/mailer';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/**
 * The API as a client at another address sees it: the gateway is on 127.0.0.1 and every
 * 127.x.y.z is this machine, so a test can be an attacker and a customer at once.
 */
function apiFrom(address: string): Api {
  return (method, path, opts = {}) =>
    new Promise((resolve, reject) => {
      const url = new URL(stack.url + path);
      const headers: Record<string, string> = { ...opts.headers };
      const body = opts.body !== undefined ? JSON.stringify(opts.body) : opts.raw;
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress: address }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON */
          }
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') responseHeaders.set(k, v);
          try {
            stack.checkAnswer(method, path, res.statusCode!, parsed);
          } catch (err) {
            return reject(err);
          }
          resolve({ status: res.statusCode!, body: parsed, headers: responseHeaders });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}

let nextAddress = 10;
/** A client address no other test of this file uses. */
const freshClient = () => apiFrom(`127.0.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 2}`);

const resetTokenIn = (body: string) => /: (\S+)$/.exec(body)![1];

describe('(a) lockout without denial of service', () => {
  it('lets the real user in from a device that signed in before, while an attacker elsewhere is locked out', async () => {
    const customer = freshClient();
    const { email, password } = await signUp(customer);
    const first = await customer('POST', '/auth/login', { body: { email, password } });
    expect(first.status).toBe(200);
    const deviceToken: string | undefined = first.body.deviceToken;

    const attacker = freshClient();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await attacker('POST', '/auth/login', { body: { email, password: `guess-${i}-password` } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429); // guessing stays slowed

    // the customer, back on the device that signed in before, with the right password
    const back = await customer('POST', '/auth/login', { body: { email, password, ...(deviceToken ? { deviceToken } : {}) } });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.user.email).toBe(email);

    // an unknown device is still held back by the lock, even with the right password
    const elsewhere = await freshClient()('POST', '/auth/login', { body: { email, password } });
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('slows guessing from a trusted device too, and a device token works only for its own account', async () => {
    const client = freshClient();
    const owner = await signUp(client);
    const other = await signUp(client);
    const { deviceToken } = (await client('POST', '/auth/login', { body: { email: owner.email, password: owner.password } })).body;
    expect(typeof deviceToken).toBe('string');

    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await client('POST', '/auth/login', { body: { email: owner.email, password: `wrong-${i}-password`, deviceToken } })).status);
    expect(statuses).toContain(429);
    // the device's own lock does not lock the account for the owner's other devices
    expect((await freshClient()('POST', '/auth/login', { body: { email: owner.email, password: owner.password } })).status).toBe(200);

    // someone else's device token counts as no device: this account's own lock holds
    const attacker = freshClient();
    for (let i = 0; i < 8; i++) await attacker('POST', '/auth/login', { body: { email: other.email, password: `wrong-${i}-password` } });
    const borrowed = await attacker('POST', '/auth/login', { body: { email: other.email, password: other.password, deviceToken } });
    expect(borrowed.status).toBe(429);
  });
});

describe('(b) reset tokens', () => {
  it('voids every older token when a new one is issued, and each works once', async () => {
    const client = freshClient();
    const { email } = await signUp(client);
    expect((await client('POST', '/auth/password-reset', { body: { email } })).status).toBe(202);
    expect((await client('POST', '/auth/password-reset', { body: { email } })).status).toBe(202);
    const [newer, older] = (await readMailbox(stack.db.pool('auth'), email)).filter((m) => m.subject === 'Reset your cinema password').map((m) => resetTokenIn(m.body));
    expect(newer).not.toBe(older);

    const useOlder = await client('POST', '/auth/password-reset/confirm', { body: { token: older, newPassword: 'older-token-password' } });
    expect(useOlder.status).toBe(400);
    expect((await client('POST', '/auth/password-reset/confirm', { body: { token: newer, newPassword: 'newer-token-password' } })).status).toBe(204);
    expect((await client('POST', '/auth/password-reset/confirm', { body: { token: older, newPassword: 'older-token-password' } })).status).toBe(400);
    expect((await client('POST', '/auth/password-reset/confirm', { body: { token: newer, newPassword: 'newer-again-password' } })).status).toBe(400);
    expect((await client('POST', '/auth/login', { body: { email, password: 'newer-token-password' } })).status).toBe(200);
    expect((await client('POST', '/auth/login', { body: { email, password: 'older-token-password' } })).status).toBe(401);
  });

  it('stores only a hash of the token, for a short time', async () => {
    const client = freshClient();
    const { email, user } = await signUp(client);
    await client('POST', '/auth/password-reset', { body: { email } });
    const [mail] = await readMailbox(stack.db.pool('auth'), email);
    const token = resetTokenIn(mail.body);
    const { rows } = await stack.db.pool('auth').query('SELECT token_hash, extract(epoch FROM expires_at - created_at) AS ttl FROM password_resets WHERE user_id = $1', [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(Number(rows[0].ttl)).toBeLessThanOrEqual(3600);
  });
});

describe('(c) reset requests limited', () => {
  it('sends a few mails to one address however often it is asked, and answers every request alike', async () => {
    const { email } = await signUp(freshClient());
    const ghost = `ghost-${Date.now()}@example.test`;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => freshClient()('POST', '/auth/password-reset', { body: { email: i % 2 ? email : ghost } })));
    for (const a of answers) {
      expect(a.status).toBe(202);
      expect(a.body).toEqual(answers[0].body);
    }
    const mails = (await readMailbox(stack.db.pool('auth'), email)).filter((m) => m.subject === 'Reset your cinema password');
    expect(mails.length).toBeGreaterThanOrEqual(1);
    expect(mails.length).toBeLessThanOrEqual(3);
    expect(await readMailbox(stack.db.pool('auth'), ghost)).toEqual([]);
  });

  it('slows one client asking for many addresses, whether or not they have accounts', async () => {
    const { email } = await signUp(freshClient());
    const client = freshClient();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await client('POST', '/auth/password-reset', { body: { email: `nobody-${i}@example.test` } })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const known = await client('POST', '/auth/password-reset', { body: { email } });
    expect(known.status).toBe(429);
    expect(Number(known.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await readMailbox(stack.db.pool('auth'), email)).not.toContainEqual(expect.objectContaining({ subject: 'Reset your cinema password' }));
  });
});

describe('(d) sensitive changes need the password', () => {
  it('changes the email only with the current password, and tells the old address', async () => {
    const client = freshClient();
    const { email, password, token } = await signUp(client);
    const next = `moved-${Date.now()}@example.test`;

    const without = await client('PATCH', '/auth/me', { token, body: { email: next } });
    expect(without.status).toBe(400);
    expect(without.body.error.message).toMatch(/currentPassword/);
    const wrong = await client('PATCH', '/auth/me', { token, body: { email: next, currentPassword: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect((await client('GET', '/auth/me', { token })).body.user.email).toBe(email);

    const moved = await client('PATCH', '/auth/me', { token, body: { email: next, currentPassword: password } });
    expect(moved.status).toBe(200);
    expect(moved.body.user.email).toBe(next);
    const [told] = await readMailbox(stack.db.pool('auth'), email);
    expect(told.subject).toMatch(/email was changed/i);
    expect(told.body).toContain(next);
    // a name alone is not sensitive
    expect((await client('PATCH', '/auth/me', { token, body: { name: 'Only The Name' } })).status).toBe(200);
  });

  it('slows password guesses made with a stolen session', async () => {
    const client = freshClient();
    const { token } = await signUp(client);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await client('POST', '/auth/password', { token, body: { currentPassword: `guess-${i}-password`, newPassword: 'taken-over-password' } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
  });
});

describe('(e) registration does not reveal a taken email', () => {
  it('answers a taken email as it answers a new one, and mails the owner instead', async () => {
    const client = freshClient();
    const { email, password } = await signUp(client);
    const fresh = await client('POST', '/auth/register', { body: { email: `new-${Date.now()}@example.test`, password: 'another-password', name: 'Someone' } });
    const taken = await client('POST', '/auth/register', { body: { email: email.toUpperCase(), password: 'another-password', name: 'Someone' } });
    expect(taken.status).toBe(fresh.status);
    expect(taken.status).toBe(201);
    expect(Object.keys(taken.body.user).sort()).toEqual(Object.keys(fresh.body.user).sort());
    expect(taken.body.user).toEqual({ ...fresh.body.user, email });

    const [told] = await readMailbox(stack.db.pool('auth'), email);
    expect(told.subject).toMatch(/tried to open an account/i);
    // the account is as it was
    expect((await client('POST', '/auth/login', { body: { email, password } })).status).toBe(200);
    expect((await client('POST', '/auth/login', { body: { email, password: 'another-password' } })).status).toBe(401);
  });
});

describe('sessions', () => {
  it('lists the account\'s open sessions and ends one, or all but the current', async () => {
    const client = freshClient();
    const { email, password, token } = await signUp(client);
    const phone = (await freshClient()('POST', '/auth/login', { body: { email, password }, headers: { 'user-agent': 'CinemaPhone/1.0' } })).body.token;
    const tablet = (await client('POST', '/auth/login', { body: { email, password } })).body.token;

    const listed = await client('GET', '/auth/sessions', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toHaveLength(3);
    expect(listed.body.sessions.filter((s: any) => s.current)).toHaveLength(1);
    const phoneSession = listed.body.sessions.find((s: any) => s.userAgent === 'CinemaPhone/1.0');
    expect(phoneSession).toMatchObject({ signedInWith: 'password', current: false });
    expect(typeof phoneSession.signedInAt).toBe('string');
    expect(phoneSession.clientIp).not.toBe(listed.body.sessions.find((s: any) => s.current).clientIp);

    // another account cannot see or end them
    const stranger = await signUp(client);
    expect((await client('DELETE', `/auth/sessions/${phoneSession.id}`, { token: stranger.token })).status).toBe(404);
    expect((await client('GET', '/auth/sessions', { token: stranger.token })).body.sessions.map((s: any) => s.id)).not.toContain(phoneSession.id);

    expect((await client('DELETE', `/auth/sessions/${phoneSession.id}`, { token })).status).toBe(204);
    expect((await client('GET', '/auth/me', { token: phone })).status).toBe(401);
    expect((await client('DELETE', `/auth/sessions/${phoneSession.id}`, { token })).status).toBe(404);
    expect((await client('GET', '/auth/sessions', { token })).body.sessions).toHaveLength(2);

    const all = await client('DELETE', '/auth/sessions', { token });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ ended: 1 });
    expect((await client('GET', '/auth/me', { token: tablet })).status).toBe(401);
    expect((await client('GET', '/auth/me', { token })).status).toBe(200);
    const left = (await client('GET', '/auth/sessions', { token })).body.sessions;
    expect(left).toHaveLength(1);
    expect(left[0].current).toBe(true);
  });
});
