// The development identity provider's token endpoint (local stages only): POST /dev-idp/token.
import { getPool } from '../../../layers/core/db';
import { issuer, clients } from '../dev-idp/config';
import { redeemCode } from '../dev-idp/provider';
import { formBody, providerEndpoint } from '../dev-idp/http';

const db = getPool('auth', 'dev_idp');

export const handler = providerEndpoint('token', async (event) => {
  const body = formBody(event);
  if ('problem' in body) return { kind: 'json', status: 400, body: { error: 'invalid_request', error_description: body.problem } };
  const answer = await redeemCode(db, issuer, clients, body.form, event.headers?.authorization);
  return { kind: 'json', ...answer };
});
