// The sign-in form's answer (local stages only): POST /dev-idp/authorize. The provider signs
// the person in and sends the browser back to the client with a code, or with access_denied.
import { getPool } from '../../../layers/core/db';
import { issuer, clients } from '../dev-idp/config';
import { checkAuthorizeRequest, deniedAnswer, grantCode, person } from '../dev-idp/provider';
import { problemPage } from '../dev-idp/page';
import { formBody, providerEndpoint } from '../dev-idp/http';

const db = getPool('auth', 'dev_idp');

export const handler = providerEndpoint('authorize', async (event) => {
  const body = formBody(event);
  if ('problem' in body) return { kind: 'html', status: 400, html: problemPage(`The form could not be read: ${body.problem}.`) };
  const fields = Object.fromEntries(body.form);
  const check = checkAuthorizeRequest(issuer, clients, fields);
  if (!check.ok) return 'redirect' in check ? { kind: 'redirect', location: check.redirect } : { kind: 'html', status: 400, html: problemPage(check.show) };
  if (fields.decision === 'deny') return { kind: 'redirect', location: deniedAnswer(issuer, check.request) };
  const who = person.safeParse({ email: fields.email ?? '', name: fields.name, emailVerified: fields.email_verified === 'true' });
  if (!who.success) return { kind: 'html', status: 400, html: problemPage(`Email ${who.error.issues[0].message}. Go back and try again.`) };
  return { kind: 'redirect', location: await grantCode(db, issuer, check.request, who.data) };
});
