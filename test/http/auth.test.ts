import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, base64url } from 'jose';
import { startTestStack, signUp, type TestStack } from '../support/stack';
import { readMailbox } from '../../functions/auth/mailer';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('auth over the gateway', () => {
  it('registers, signs in and tells who the caller is', async () => {
    const { api } = stack;
    const reg = await api('POST', '/auth/register', { body: { email: 'Ana@Example.test', password: 'popcorn-and-soda', name: 'Ana' } });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ email: 'ana@example.test', name: 'Ana', role: 'customer' });
    expect(reg.body.user).not.toHaveProperty('passwordHash');

    const login = await api('POST', '/auth/login', { body: { email: 'ana@example.test', password: 'popcorn-and-soda' } });
    expect(login.status).toBe(200);
    expect(typeof login.body.token).toBe('string');

    const me = await api('GET', '/auth/me', { token: login.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('ana@example.test');
  });

  it('answers a taken email, whatever its case, as a new one and mails its owner instead', async () => {
    const { email, password } = await signUp(stack.api);
    const again = await stack.api('POST', '/auth/register', { body: { email: email.toUpperCase(), password: 'another-password', name: 'X' } });
    expect(again.status).toBe(201);
    expect(again.body.user).toEqual({ email, name: 'X', role: 'customer' });
    const [mail] = await readMailbox(stack.db.pool('auth'), email);
    expect(mail.subject).toMatch(/tried to open an account/i);
    expect((await stack.api('POST', '/auth/login', { body: { email, password } })).status).toBe(200);
    expect((await stack.api('POST', '/auth/login', { body: { email, password: 'another-password' } })).status).toBe(401);
  });

  it('answers 401 to a wrong password and to an unknown email, with the same message', async () => {
    const { email } = await signUp(stack.api);
    const wrong = await stack.api('POST', '/auth/login', { body: { email, password: 'not the password' } });
    const unknown = await stack.api('POST', '/auth/login', { body: { email: 'nobody@example.test', password: 'whatever-it-is' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('logout revokes the token at once', async () => {
    const { token } = await signUp(stack.api);
    expect((await stack.api('GET', '/auth/me', { token })).status).toBe(200);
    expect((await stack.api('POST', '/auth/logout', { token })).status).toBe(204);
    const after = await stack.api('GET', '/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/session has ended/i);
  });

  it('locks an account after repeated failures and says when to retry', async () => {
    const { email, password } = await signUp(stack.api);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await stack.api('POST', '/auth/login', { body: { email, password: `wrong-${i}-password` } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    const locked = await stack.api('POST', '/auth/login', { body: { email, password } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('rejects forged, expired, unsigned and malformed tokens with 401 and the reason', async () => {
    const { token, user } = await signUp(stack.api);
    const [header, payload] = token.split('.');
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    const forged = await new SignJWT({ role: 'admin', sid: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('cinema-auth')
      .setAudience('cinema')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-secret-that-is-not-the-platforms-secret'));
    const tampered = `${header}.${base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(payload))), role: 'admin' }))}.${token.split('.')[2]}`;
    for (const [bad, reason] of [
      [none, /algorithm|malformed/i],
      [forged, /signature/i],
      [tampered, /signature/i],
      ['not-a-jwt', /malformed/i],
    ] as const) {
      const res = await stack.api('GET', '/auth/me', { token: bad });
      expect(res.status, bad).toBe(401);
      expect(res.body.error.message).toMatch(reason);
    }
    // a token signed with the right key whose time is up
    const session = (await stack.db.pool('auth').query('SELECT id FROM sessions WHERE user_id = $1', [user.id])).rows[0].id;
    const expired = await new SignJWT({ role: 'customer', sid: session })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('cinema-auth')
      .setAudience('cinema')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(stack.jwtSecret));
    const old = await stack.api('GET', '/auth/me', { token: expired });
    expect(old.status).toBe(401);
    expect(old.body.error.message).toMatch(/expired/);
    const noHeader = await stack.api('GET', '/auth/me');
    expect(noHeader.status).toBe(401);
    const spoofed = await stack.api('GET', '/auth/me', { headers: { 'sls-offline-authorizer-override': JSON.stringify({ lambda: { userId: user.id, role: 'admin', sessionId: 'x' } }) } });
    expect(spoofed.status).toBe(400);
  });

  it('resets a password through the mailbox without revealing who has an account', async () => {
    const { email, token } = await signUp(stack.api);
    const known = await stack.api('POST', '/auth/password-reset', { body: { email } });
    const unknown = await stack.api('POST', '/auth/password-reset', { body: { email: 'ghost@example.test' } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);

    const [mail] = await readMailbox(stack.db.pool('auth'), email);
    const resetToken = /: (\S+)$/.exec(mail.body)![1];
    expect((await stack.api('POST', '/auth/password-reset/confirm', { body: { token: resetToken, newPassword: 'brand-new-password' } })).status).toBe(204);
    expect((await stack.api('POST', '/auth/password-reset/confirm', { body: { token: resetToken, newPassword: 'again-new-password' } })).status).toBe(400);
    expect((await stack.api('GET', '/auth/me', { token })).status).toBe(401); // old sessions closed
    expect((await stack.api('POST', '/auth/login', { body: { email, password: 'brand-new-password' } })).status).toBe(200);
  });

  it('changes the password and the profile', async () => {
    const { token, password, email } = await signUp(stack.api);
    const wrong = await stack.api('POST', '/auth/password', { token, body: { currentPassword: 'nope-nope', newPassword: 'next-password-1' } });
    expect(wrong.status).toBe(401);
    expect((await stack.api('POST', '/auth/password', { token, body: { currentPassword: password, newPassword: 'next-password-1' } })).status).toBe(204);
    expect((await stack.api('POST', '/auth/login', { body: { email, password: 'next-password-1' } })).status).toBe(200);
    const upd = await stack.api('PATCH', '/auth/me', { token, body: { name: 'Renamed' } });
    expect(upd.status).toBe(200);
    expect(upd.body.user.name).toBe('Renamed');
    expect((await stack.api('PATCH', '/auth/me', { token, body: {} })).status).toBe(400);
  });
});
