// The development identity provider's checks and page, without a database.
import { describe, expect, it } from 'vitest';
import { checkAuthorizeRequest, type DevClient } from './provider';
import { authorizePage } from './page';

const issuer = 'http://127.0.0.1:4000/dev-idp';
const client: DevClient = { clientId: 'cinema-local', clientSecret: 's'.repeat(40), name: 'Cinema', redirectUris: ['http://127.0.0.1:4000/auth/oidc/dev/callback'] };
const good = {
  client_id: 'cinema-local',
  redirect_uri: client.redirectUris[0],
  response_type: 'code',
  scope: 'openid email',
  state: 'the-state',
  nonce: 'the-nonce',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
};

describe('the authorize request', () => {
  it('accepts a registered client asking for a code with PKCE S256', () => {
    expect(checkAuthorizeRequest(issuer, [client], good)).toMatchObject({ ok: true, request: { client, state: 'the-state', nonce: 'the-nonce' } });
  });

  it('never redirects to an unregistered client or redirect URI: it shows the problem', () => {
    expect(checkAuthorizeRequest(issuer, [client], { ...good, client_id: 'other' })).toMatchObject({ ok: false, show: expect.stringMatching(/client_id/) });
    expect(checkAuthorizeRequest(issuer, [client], { ...good, redirect_uri: 'https://attacker.example/cb' })).toMatchObject({ ok: false, show: expect.stringMatching(/redirect_uri/) });
  });

  it.each([
    ['another response type', { response_type: 'token' }, 'unsupported_response_type'],
    ['no openid scope', { scope: 'email' }, 'invalid_scope'],
    ['no PKCE', { code_challenge: undefined }, 'invalid_request'],
    ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
  ])('sends %s back to the client as an OAuth error, with its state and issuer', (_, change, error) => {
    const check = checkAuthorizeRequest(issuer, [client], { ...good, ...change });
    expect(check.ok).toBe(false);
    const url = new URL((check as { redirect: string }).redirect);
    expect(url.origin + url.pathname).toBe(client.redirectUris[0]);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ error, state: 'the-state', iss: issuer });
  });
});

describe('the authorize page', () => {
  it('carries the request in hidden fields, escaped', () => {
    const check = checkAuthorizeRequest(issuer, [client], { ...good, state: '"><script>alert(1)</script>' });
    const html = authorizePage(issuer, (check as { ok: true; request: any }).request);
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain(`<form method="post" action="${issuer}/authorize">`);
    expect(html).toMatch(/<label for="email">Email<\/label>/);
  });
});
