// Sign-in with an OpenID Connect provider, through the gateway: the whole flow against the
// built-in development identity provider (over HTTP and in Chromium, at its real HTML page),
// and every ID token the issue names refused — each served by a hostile provider this test
// runs, which answers the token endpoint with the token a case needs.
import { createHash, randomBytes, type webcrypto } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SignJWT, base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import fc from 'fast-check';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, type TestStack } from '../support/stack';

type CryptoKey = webcrypto.CryptoKey;

const ROGUE_CLIENT = { id: 'cinema-test', secret: 'rogue-provider-client-secret' };

/** What the hostile provider's token endpoint answers for a code, given what the sign-in sent it. */
type Mint = (sent: { nonce: string }) => Promise<string>;

interface Rogue {
  issuer: string;
  server: Server;
  key: { kid: string; privateKey: CryptoKey; publicJwk: JWK };
  /** code → the ID token it is redeemed for */
  mints: Map<string, Mint & { nonce?: string }>;
  /** what arrived at its token endpoint */
  redeemed: { code: string; verifier: string; authorization?: string; redirectUri: string }[];
}

async function startRogue(): Promise<Rogue> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const key = { kid: 'rogue-1', privateKey: privateKey as CryptoKey, publicJwk: { ...(await exportJWK(publicKey)), kid: 'rogue-1', alg: 'RS256', use: 'sig' } };
  const rogue = { mints: new Map(), redeemed: [], key } as unknown as Rogue;
  rogue.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: rogue.issuer,
          authorization_endpoint: `${rogue.issuer}/authorize`,
          token_endpoint: `${rogue.issuer}/token`,
          jwks_uri: `${rogue.issuer}/jwks`,
          response_types_supported: ['code'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        });
      }
      if (req.url === '/jwks') return json(200, { keys: [key.publicJwk] });
      if (req.url === '/token' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        const code = form.get('code') ?? '';
        rogue.redeemed.push({ code, verifier: form.get('code_verifier') ?? '', authorization: req.headers.authorization, redirectUri: form.get('redirect_uri') ?? '' });
        const mint = rogue.mints.get(code);
        if (!mint) return json(400, { error: 'invalid_grant', error_description: 'unknown code' });
        return json(200, { access_token: 'x', token_type: 'Bearer', id_token: await mint({ nonce: mint.nonce! }) });
      }
      json(404, { error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => rogue.server.listen(0, '127.0.0.1', resolve));
  rogue.issuer = `http://127.0.0.1:${(rogue.server.address() as AddressInfo).port}`;
  return rogue;
}

let rogue: Rogue;
let stack: TestStack;
let browser: Browser | undefined;

beforeAll(async () => {
  rogue = await startRogue();
  stack = await startTestStack({
    OIDC_PROVIDERS: JSON.stringify([{ id: 'rogue', name: 'Rogue', issuer: rogue.issuer, clientId: ROGUE_CLIENT.id }]),
    OIDC_CLIENT_SECRETS: JSON.stringify({ rogue: ROGUE_CLIENT.secret }),
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await new Promise((r) => rogue?.server.close(r));
});

/** One HTTP exchange, redirects not followed: the test is the browser. */
async function http(method: string, url: string, opts: { cookie?: string; form?: Record<string, string>; json?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  }
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(url.startsWith('http') ? url : stack.url + url, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* HTML or empty */
  }
  stack.checkAnswer(method, url, res.status, parsed);
  return { status: res.status, headers: res.headers, body: parsed, text, location: res.headers.get('location') ?? '' };
}

const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie')!.split(';')[0];
const fragmentOf = (location: string) => new URLSearchParams(new URL(location).hash.slice(1));

/** Starts a sign-in as a browser would: the provider's authorization URL, and the cookie that binds it. */
async function start(provider: string, returnTo = `${stack.url}/`) {
  const res = await http('GET', `/auth/oidc/${provider}/start?returnTo=${encodeURIComponent(returnTo)}`);
  expect(res.status, res.text).toBe(302);
  const authorize = new URL(res.location);
  return { authorize, params: Object.fromEntries(authorize.searchParams), cookie: cookieOf(res) };
}

/** The whole flow through the dev provider's form, as HTTP requests: the app's one-time code, or the refusal. */
async function signInWithDevProvider(who: { email: string; name?: string; verified?: boolean }) {
  const { authorize, params, cookie } = await start('dev');
  const page = await http('GET', authorize.toString());
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  const form = { ...params, email: who.email, name: who.name ?? 'Dev Person', decision: 'allow', ...(who.verified === false ? {} : { email_verified: 'true' }) };
  const back = await http('POST', `${authorize.origin}${authorize.pathname}`, { form });
  expect(back.status).toBe(303);
  const callback = await http('GET', back.location, { cookie });
  return { callback, params };
}

async function exchange(location: string) {
  const code = fragmentOf(location).get('oidc_code')!;
  return http('POST', '/auth/oidc/exchange', { json: { code } });
}

describe('sign-in through the development identity provider', () => {
  it('offers the providers, dev among them', async () => {
    const res = await http('GET', '/auth/oidc/providers');
    expect(res.status).toBe(200);
    expect(res.body.providers.map((p: any) => p.id).sort()).toEqual(['dev', 'rogue']);
    const discovery = await http('GET', '/dev-idp/.well-known/openid-configuration');
    expect(discovery.body).toMatchObject({ issuer: `${stack.url}/dev-idp`, code_challenge_methods_supported: ['S256'], id_token_signing_alg_values_supported: ['RS256'] });
    const jwks = await http('GET', '/dev-idp/jwks');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });

  it('runs the code flow with PKCE, state and nonce, and hands the app a one-time code for a session', async () => {
    const email = `dev-${randomBytes(4).toString('hex')}@example.test`;
    const { callback, params } = await signInWithDevProvider({ email, name: 'Devi Person' });
    expect(params).toMatchObject({ response_type: 'code', client_id: 'cinema-local', code_challenge_method: 'S256', redirect_uri: `${stack.url}/auth/oidc/dev/callback` });
    expect(params.state.length).toBeGreaterThanOrEqual(43);
    expect(params.nonce.length).toBeGreaterThanOrEqual(43);
    expect(callback.status, callback.text).toBe(302);
    expect(callback.location.startsWith(`${stack.url}/#oidc_code=`)).toBe(true);
    expect(callback.location).not.toMatch(/eyJ/); // no token in the URL

    const signedIn = await exchange(callback.location);
    expect(signedIn.status).toBe(200);
    const me = await http('GET', '/auth/me', { token: signedIn.body.token });
    expect(me.body.user).toMatchObject({ email, name: 'Devi Person', role: 'customer' });
    const sessions = await http('GET', '/auth/sessions', { token: signedIn.body.token });
    expect(sessions.body.sessions[0]).toMatchObject({ signedInWith: 'oidc:dev', current: true });

    // the code is single use; the state too
    expect((await exchange(callback.location)).status).toBe(400);
    // the same person again: the same account, found by the provider's subject
    const again = await signInWithDevProvider({ email });
    const second = await exchange(again.callback.location);
    expect(second.body.user.id).toBe(me.body.user.id);
    // an account without a password cannot sign in with one
    expect((await http('POST', '/auth/login', { json: { email, password: 'any-password-at-all' } })).status).toBe(401);
  });

  it('links an existing account by its verified email, and never by an unverified one', async () => {
    const owner = await signUp(stack.api);
    const refused = await signInWithDevProvider({ email: owner.email, verified: false });
    expect(refused.callback.status).toBe(401);
    expect(refused.callback.body.error.message).toMatch(/not verified/);
    expect((await stack.db.pool('auth').query('SELECT count(*) AS n FROM identities WHERE user_id = $1', [owner.user.id])).rows[0].n).toBe(0);

    const linked = await signInWithDevProvider({ email: owner.email });
    expect(linked.callback.status).toBe(302);
    expect((await exchange(linked.callback.location)).body.user.id).toBe(owner.user.id);
  });

  it('lets an account without a password make sensitive changes only soon after signing in', async () => {
    const email = `fresh-${randomBytes(4).toString('hex')}@example.test`;
    const { token } = (await exchange((await signInWithDevProvider({ email })).callback.location)).body;
    const moved = `${email}.moved.test`;
    expect((await http('PATCH', '/auth/me', { token, json: { email: moved } })).status).toBe(200);

    const { token: stale } = (await exchange((await signInWithDevProvider({ email: `stale-${email}` })).callback.location)).body;
    const sessionId = JSON.parse(Buffer.from(stale.split('.')[1], 'base64url').toString()).sid;
    await stack.db.pool('auth').query(`UPDATE sessions SET created_at = now() - interval '10 minutes' WHERE id = $1`, [sessionId]);
    const refused = await http('POST', '/auth/password', { token: stale, json: { newPassword: 'a-password-of-my-own' } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/sign in again/i);

    expect((await http('POST', '/auth/password', { token, json: { newPassword: 'a-password-of-my-own' } })).status).toBe(204);
    expect((await http('POST', '/auth/login', { json: { email: moved, password: 'a-password-of-my-own' } })).status).toBe(200);
  });

  it('sends a cancelled sign-in back to the app with the provider\'s error', async () => {
    const { authorize, params, cookie } = await start('dev');
    const back = await http('POST', `${authorize.origin}${authorize.pathname}`, { form: { ...params, decision: 'deny' } });
    expect(new URL(back.location).searchParams.get('error')).toBe('access_denied');
    const callback = await http('GET', back.location, { cookie });
    expect(callback.status).toBe(302);
    expect(fragmentOf(callback.location).get('oidc_error')).toBe('access_denied');
  });

  it('binds the sign-in to the browser that started it, and sends it back only to the app', async () => {
    const email = `bound-${randomBytes(4).toString('hex')}@example.test`;
    const { authorize, params, cookie } = await start('dev');
    const back = await http('POST', `${authorize.origin}${authorize.pathname}`, { form: { ...params, email, email_verified: 'true', decision: 'allow' } });
    // a victim's browser, sent to the attacker's callback URL, holds no (or another) state cookie
    const noCookie = await http('GET', back.location);
    expect(noCookie.status).toBe(401);
    const otherCookie = await http('GET', back.location, { cookie: (await start('dev')).cookie });
    expect(otherCookie.status).toBe(401);
    expect((await http('GET', back.location, { cookie })).status).toBe(302);
    expect((await http('GET', back.location, { cookie })).status).toBe(400); // finished

    const elsewhere = await http('GET', `/auth/oidc/dev/start?returnTo=${encodeURIComponent('https://attacker.example/steal')}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toMatch(/returnTo/);
    expect((await http('GET', '/auth/oidc/nobody/start')).status).toBe(404);
    const forged = await http('POST', '/auth/oidc/exchange', { json: { code: randomBytes(32).toString('base64url') } });
    expect(forged.status).toBe(400);
  });

  it('redeems a code once, with the client\'s secret and the PKCE verifier only', async () => {
    const { authorize, params } = await start('dev');
    const grant = async () => {
      const back = await http('POST', `${authorize.origin}${authorize.pathname}`, { form: { ...params, email: 'pkce@example.test', email_verified: 'true', decision: 'allow' } });
      return new URL(back.location).searchParams.get('code')!;
    };
    const basic = (secret: string) => `Basic ${Buffer.from(`cinema-local:${secret}`).toString('base64')}`;
    const token = (form: Record<string, string>, authorization: string) =>
      fetch(`${stack.url}/dev-idp/token`, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const secret = 'dev-identity-provider-client-secret-local-only';
    const verifier = 'a'.repeat(43); // not this sign-in's: the challenge was made from auth's verifier
    const code = await grant();
    const base = { grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri };
    expect(await token({ ...base, code_verifier: verifier }, basic('wrong-secret-wrong-secret-wrong-secret'))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await token({ ...base, code_verifier: verifier }, basic(secret))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // the failed attempt used the code up, as a provider must
    expect(await token({ ...base, code_verifier: verifier }, basic(secret))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('never answers 5xx to generated input at its endpoints', async () => {
    const endpoints = [
      ['GET', '/dev-idp/authorize'],
      ['POST', '/dev-idp/authorize'],
      ['POST', '/dev-idp/token'],
      ['GET', '/dev-idp/jwks'],
      ['GET', '/dev-idp/.well-known/openid-configuration'],
    ] as const;
    const names = fc.constantFrom('client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'email', 'email_verified', 'decision', 'grant_type', 'code', 'code_verifier', 'client_secret', 'x');
    const fields = fc.dictionary(names, fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('cinema-local', 'code', 'S256', 'openid', 'allow', 'true', `${stack.url}/auth/oidc/dev/callback`, 'authorization_code')), { maxKeys: 8 });
    const contentType = fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain');
    const authorization = fc.option(fc.oneof(fc.string({ maxLength: 40 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`), fc.string({ maxLength: 40 })), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), fields, contentType, authorization, async ([method, path], f, type, auth) => {
        const qs = method === 'GET' ? `?${new URLSearchParams(f)}` : '';
        const headers: Record<string, string> = method === 'POST' ? { 'content-type': type } : {};
        if (auth) headers.authorization = auth;
        const res = await fetch(stack.url + path + qs, { method, headers, body: method === 'POST' ? new URLSearchParams(f).toString() : undefined, redirect: 'manual' });
        const text = await res.text();
        expect(res.status, `${method} ${path} ${JSON.stringify(f)} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400 && res.headers.get('content-type')?.includes('json')) expect(typeof JSON.parse(text).error).toBe('string');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: Number(process.env.FUZZ_SEED ?? 20261217) },
    );
  }, 120_000);
});

describe('ID tokens refused', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (nonce: string, email: string) => ({ nonce, email, email_verified: true, name: 'Rogue Person' });
  const signed = (payload: Record<string, unknown>, opts: { iss?: string; aud?: string; exp?: number; key?: CryptoKey } = {}) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: rogue.key.kid })
      .setIssuer(opts.iss ?? rogue.issuer)
      .setSubject(`rogue-${randomBytes(4).toString('hex')}`)
      .setAudience(opts.aud ?? ROGUE_CLIENT.id)
      .setIssuedAt(now() - 60)
      .setExpirationTime(opts.exp ?? now() + 300)
      .sign(opts.key ?? rogue.key.privateKey);

  /** A sign-in with the rogue provider whose code is redeemed for what `mint` makes. */
  async function signInWith(mint: Mint) {
    const { params, cookie } = await start('rogue');
    const code = randomBytes(16).toString('hex');
    rogue.mints.set(code, Object.assign(mint, { nonce: params.nonce }));
    const callback = await http('GET', `/auth/oidc/rogue/callback?code=${code}&state=${encodeURIComponent(params.state)}`, { cookie });
    return { callback, params, code };
  }

  it('accepts a token that is right in every way (so that each refusal below is for its one fault)', async () => {
    const email = `rogue-ok-${randomBytes(4).toString('hex')}@example.test`;
    const { callback, params, code } = await signInWith(({ nonce }) => signed(claims(nonce, email)));
    expect(callback.status, callback.text).toBe(302);
    expect((await exchange(callback.location)).body.user.email).toBe(email);
    // what reached the provider: our client secret by Basic, our callback, the PKCE verifier of the challenge
    const redeemed = rogue.redeemed.find((r) => r.code === code)!;
    expect(redeemed.authorization).toBe(`Basic ${Buffer.from(`${ROGUE_CLIENT.id}:${ROGUE_CLIENT.secret}`).toString('base64')}`);
    expect(redeemed.redirectUri).toBe(`${stack.url}/auth/oidc/rogue/callback`);
    expect(createHash('sha256').update(redeemed.verifier).digest('base64url')).toBe(params.code_challenge);
  });

  it.each([
    ['a wrong audience', /audience/, (nonce: string, email: string) => signed(claims(nonce, email), { aud: 'another-client' })],
    ['a wrong issuer', /issuer/, (nonce: string, email: string) => signed(claims(nonce, email), { iss: 'https://accounts.example' })],
    ['a wrong nonce', /nonce/, (_: string, email: string) => signed(claims(randomBytes(32).toString('base64url'), email))],
    ['no nonce', /nonce/, (_: string, email: string) => signed({ email, email_verified: true })],
    ['an expired one', /expired/, (nonce: string, email: string) => signed(claims(nonce, email), { exp: now() - 120 })],
    [
      'alg: none',
      /algorithm/,
      async (nonce: string, email: string) => {
        const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
        const payload = base64url.encode(JSON.stringify({ ...claims(nonce, email), iss: rogue.issuer, aud: ROGUE_CLIENT.id, sub: 'rogue-none', iat: now(), exp: now() + 300 }));
        return `${header}.${payload}.`;
      },
    ],
    [
      'one signed by another key (with the provider key\'s id)',
      /not signed by one of the provider's keys/,
      async (nonce: string, email: string) => signed(claims(nonce, email), { key: (await generateKeyPair('RS256')).privateKey as CryptoKey }),
    ],
    [
      'HS256 with the client secret',
      /algorithm/,
      (nonce: string, email: string) =>
        new SignJWT(claims(nonce, email)).setProtectedHeader({ alg: 'HS256' }).setIssuer(rogue.issuer).setSubject('rogue-hs').setAudience(ROGUE_CLIENT.id).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(ROGUE_CLIENT.secret)),
    ],
  ])('refuses %s', async (_case, reason, mint) => {
    const email = `rogue-${randomBytes(4).toString('hex')}@example.test`;
    const handoffs = async () => (await stack.db.pool('auth').query('SELECT count(*) AS n FROM oidc_handoffs')).rows[0].n;
    const before = await handoffs();
    const { callback } = await signInWith(({ nonce }) => mint(nonce, email));
    expect(callback.status, callback.text).toBe(401);
    expect(callback.body.error.message).toMatch(reason);
    expect(await handoffs()).toBe(before);
    expect((await stack.db.pool('auth').query('SELECT count(*) AS n FROM users WHERE email = $1', [email])).rows[0].n).toBe(0);
  });

  it('refuses email_verified: false for an existing account, and links nothing', async () => {
    const owner = await signUp(stack.api);
    const { callback } = await signInWith(({ nonce }) => signed({ ...claims(nonce, owner.email), email_verified: false }));
    expect(callback.status).toBe(401);
    expect(callback.body.error.message).toMatch(/not verified/);
    expect((await stack.db.pool('auth').query('SELECT count(*) AS n FROM identities WHERE user_id = $1', [owner.user.id])).rows[0].n).toBe(0);
    expect((await stack.db.pool('auth').query('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [owner.user.id])).rows[0].n).toBe(1); // signUp's own
  });
});

describe('in a browser', () => {
  it('signs in at the development provider\'s page in Chromium and comes back to the app', async () => {
    browser = await chromium.launch({ executablePath: execFileSync('sh', ['-c', 'command -v chromium']).toString().trim(), args: ['--no-sandbox'] });
    const page = await browser.newPage();
    const email = `browser-${randomBytes(4).toString('hex')}@example.test`;
    // the app's page the browser comes back to: any page of the app's origin will do here
    const returnTo = `${stack.url}/auth/oidc/providers`;
    await page.goto(`${stack.url}/auth/oidc/dev/start?returnTo=${encodeURIComponent(returnTo)}`);

    await page.getByRole('heading', { name: 'Sign in to Cinema' }).waitFor();
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('textbox', { name: 'Name' }).fill('Bea Browser');
    expect(await page.getByRole('checkbox', { name: /verified this email/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL((url) => url.hash.startsWith('#oidc_code='));
    expect(page.url().startsWith(`${returnTo}#oidc_code=`)).toBe(true);
    // the app takes the code from its fragment and exchanges it for our session
    const code = fragmentOf(page.url()).get('oidc_code');
    const me = (await page.evaluate(async (code) => {
      const signIn = (await (await fetch('/auth/oidc/exchange', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json()) as { token: string };
      return (await fetch('/auth/me', { headers: { authorization: `Bearer ${signIn.token}` } })).json();
    }, code)) as { user: unknown };
    expect(me.user).toMatchObject({ email, name: 'Bea Browser' });
    // the state cookie is gone once the sign-in is done
    expect((await page.context().cookies()).find((c) => c.name === 'cinema_oidc_state')).toBeUndefined();
  }, 90_000);
});
