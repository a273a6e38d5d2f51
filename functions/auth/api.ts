// Auth's routes as the API description tells them (infra/openapi builds the document).
import { z } from 'zod';
import { instant, refusal, uuid, type ApiDocs } from '../../layers/core/http/api-doc';

export const user = z.looseObject({ id: uuid, email: z.string(), name: z.string(), role: z.enum(['customer', 'admin', 'door']), createdAt: instant }).meta({ id: 'User' });

export const signIn = z
  .looseObject({
    token: z.string().describe('The session token: send it as Authorization: Bearer <token>'),
    expiresAt: instant,
    user,
    deviceToken: z.string().optional().describe('This device, remembered: send it with the next sign-in to be spared the throttle of unknown devices'),
  })
  .meta({ id: 'SignIn' });

const accountSession = z
  .looseObject({ id: uuid, signedInAt: instant, expiresAt: instant, clientIp: z.string().nullable(), userAgent: z.string().nullable(), signedInWith: z.string(), current: z.boolean() })
  .meta({ id: 'AccountSession' });

const tooMany = refusal('Too many tries: wait as long as Retry-After says (`too_many_requests`)');
const tag = 'Account';

export const api: ApiDocs = {
  register: {
    tag,
    summary: 'Open a customer account',
    description: 'The answer is the same whether or not the email had an account (its owner is mailed instead), so it tells nobody which emails are customers.',
    responses: { 201: { description: 'The account asked for', body: z.object({ user: z.looseObject({ email: z.string(), name: z.string(), role: z.literal('customer') }) }) }, 409: refusal('An account with this email exists'), 429: tooMany } },
  login: { tag, summary: 'Sign in with email and password', responses: { 200: { description: 'A session', body: signIn }, 401: refusal('Wrong email or password'), 429: tooMany } },
  logout: { tag, summary: 'End this session', responses: { 204: { description: 'Ended' } } },
  me: { tag, summary: 'Who I am', responses: { 200: { description: 'My account', body: z.object({ user }) }, 404: refusal('The account is gone') } },
  updateProfile: { tag, summary: 'Change my name or email', responses: { 200: { description: 'My account', body: z.object({ user }) }, 409: refusal('Another account has this email') } },
  changePassword: { tag, summary: 'Change my password (my other sessions end)', responses: { 204: { description: 'Changed' }, 422: refusal('The current password is wrong'), 429: tooMany } },
  requestPasswordReset: {
    tag,
    summary: 'Ask for a password reset token by email',
    responses: { 202: { description: 'Whether or not the account exists, the same answer', body: z.looseObject({ message: z.string() }) }, 429: tooMany },
  },
  resetPassword: { tag, summary: 'Set a new password with a reset token', responses: { 204: { description: 'Set; every session ended' }, 422: refusal('The token is wrong, used or expired'), 429: tooMany } },
  devMailbox: {
    tag: 'Development',
    summary: 'What the platform would have mailed to an address (local stages only)',
    responses: { 200: { description: 'The latest mails', body: z.object({ to: z.string(), mails: z.array(z.looseObject({ subject: z.string(), body: z.string(), sentAt: instant })) }) }, 404: refusal('Not on this stage') },
  },
  listSessions: { tag, summary: 'My sessions: where and when I am signed in', responses: { 200: { description: 'My live sessions', body: z.object({ sessions: z.array(accountSession) }) } } },
  endOtherSessions: { tag, summary: 'Sign out everywhere else', responses: { 200: { description: 'How many ended', body: z.object({ ended: z.number().int() }) } } },
  endSession: { tag, summary: 'End one of my sessions', responses: { 204: { description: 'Ended' }, 404: refusal('No such session of mine') } },
  oidcProviders: {
    tag: 'Sign in with a provider',
    summary: 'The identity providers offered',
    responses: { 200: { description: 'The providers', body: z.object({ providers: z.array(z.looseObject({ id: z.string(), name: z.string(), start: z.string().describe('Where the browser starts the sign-in') })) }) } },
  },
  oidcStart: {
    tag: 'Sign in with a provider',
    summary: 'Start a sign-in: the browser is sent to the provider (authorization code with PKCE)',
    responses: { 302: { description: 'To the provider’s page', headers: { location: 'The provider’s authorization URL', 'set-cookie': 'Binds the sign-in to this browser' } }, 404: refusal('No such provider'), 422: refusal('returnTo is not one of ours') },
  },
  oidcCallback: {
    tag: 'Sign in with a provider',
    summary: 'Where the provider sends the browser back; on to the web app with a one-time code',
    responses: {
      302: { description: 'To the web app, the one-time code (or the reason there is none) in the URL’s fragment', headers: { location: 'The web app' } },
      401: refusal('The sign-in does not hold: not started in this browser, or the ID token refused (signature, issuer, audience, nonce, expiry), or an email the provider has not verified'),
      404: refusal('No such provider'),
    },
  },
  oidcExchange: { tag: 'Sign in with a provider', summary: 'The one-time code for a session', responses: { 200: { description: 'A session', body: signIn }, 401: refusal('The code is wrong, used or expired'), 429: tooMany } },

  listAccounts: {
    tag: 'Operators',
    summary: 'Accounts by the start of their email, and the roles an operator can give',
    responses: { 200: { description: 'At most 50 accounts', body: z.object({ items: z.array(user), roles: z.array(z.string()) }) } },
  },
  setRole: {
    tag: 'Operators',
    summary: 'Give an account a role (customer, admin or door)',
    responses: { 200: { description: 'The account', body: z.object({ user }) }, 404: refusal('No such account'), 409: refusal('An operator cannot take their own admin role away') },
  },
  grantRole: {
    tag: 'Operators',
    summary: 'Make an account door staff (or admin, or customer) by its email, creating it when a password is given',
    responses: { 200: { description: 'The account, with its new role', body: z.object({ user }) }, 201: { description: 'A new account with the role', body: z.object({ user }) }, 404: refusal('No account with this email, and no password to create it') },
  },
};
