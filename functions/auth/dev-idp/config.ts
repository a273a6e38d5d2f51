// The development identity provider's settings. It is its own system: it reads only what it
// needs, and knows the one client registered with it.
import { z } from 'zod';
import { env, loadConfig } from '../../../layers/core/config';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET_DEFAULT, DEV_PROVIDER_ID, callbackUrl, devIssuer } from './registration';
import type { DevClient } from './provider';

const settings = loadConfig({
  // the gateway's URL as browsers reach it
  API_URL: env.url('http://127.0.0.1:4000'),
  // unset or empty: the local default both sides know
  DEV_IDP_CLIENT_SECRET: z.preprocess((v) => (v === '' ? undefined : v), env.secret(32).default(DEV_CLIENT_SECRET_DEFAULT)),
});

export const issuer = devIssuer(settings.API_URL);

export const clients: DevClient[] = [
  { clientId: DEV_CLIENT_ID, clientSecret: settings.DEV_IDP_CLIENT_SECRET, name: 'Cinema', redirectUris: [callbackUrl(settings.API_URL, DEV_PROVIDER_ID)] },
];
