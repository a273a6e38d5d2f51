// The development identity provider's sign-in page (local stages only): GET /dev-idp/authorize.
import { issuer, clients } from '../dev-idp/config';
import { checkAuthorizeRequest } from '../dev-idp/provider';
import { authorizePage, problemPage } from '../dev-idp/page';
import { providerEndpoint, queryOf } from '../dev-idp/http';

export const handler = providerEndpoint('authorize page', async (event) => {
  const check = checkAuthorizeRequest(issuer, clients, queryOf(event));
  if (check.ok) return { kind: 'html', status: 200, html: authorizePage(issuer, check.request), formAction: new URL(check.request.redirectUri).origin };
  if ('redirect' in check) return { kind: 'redirect', location: check.redirect };
  return { kind: 'html', status: 400, html: problemPage(check.show) };
});
