// The development identity provider's pages: a real HTML form a person fills in a browser
// (labelled fields and buttons, usable by keyboard and at phone width), and the page that
// says what is wrong when it cannot send the browser back.
import type { AuthorizeRequest } from './provider';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f1ea; color: #1d1d1f; }
  main { max-width: 26rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 0.75rem; box-shadow: 0 1px 4px #0002; }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input[type=email], input[type=text] { box-sizing: border-box; width: 100%; padding: 0.6rem; margin-top: 0.25rem; font: inherit; border: 1px solid #888; border-radius: 0.4rem; }
  .check { display: flex; gap: 0.5rem; align-items: center; font-weight: normal; }
  .actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; }
  button { font: inherit; padding: 0.6rem 1.2rem; border-radius: 0.4rem; border: 1px solid #333; background: #fff; cursor: pointer; }
  button[value=allow] { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .note { color: #555; font-size: 0.9rem; }`;

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${content}
</main>
</body>
</html>
`;
}

/** The sign-in form: the request travels in hidden fields and comes back with the person's answer. */
export function authorizePage(issuer: string, request: AuthorizeRequest): string {
  const hidden = {
    response_type: 'code',
    client_id: request.client.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    ...(request.state !== undefined ? { state: request.state } : {}),
    ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
  };
  const fields = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('\n  ');
  return page(
    'Sign in — development identity provider',
    `<h1>Sign in to ${escape(request.client.name)}</h1>
<p class="note">The development identity provider stands in for Google, Keycloak or Entra on local stages. It believes whoever you say you are.</p>
<form method="post" action="${escape(issuer)}/authorize">
  ${fields}
  <label for="email">Email</label>
  <input id="email" name="email" type="email" required autocomplete="email" maxlength="254">
  <label for="name">Name</label>
  <input id="name" name="name" type="text" autocomplete="name" maxlength="100">
  <label class="check" for="email_verified"><input id="email_verified" name="email_verified" type="checkbox" value="true" checked> The provider has verified this email address</label>
  <div class="actions">
    <button type="submit" name="decision" value="allow">Sign in</button>
    <button type="submit" name="decision" value="deny" formnovalidate>Cancel</button>
  </div>
</form>`,
  );
}

export function problemPage(message: string): string {
  return page('Sign-in problem — development identity provider', `<h1>This sign-in cannot go on</h1>\n<p role="alert">${escape(message)}</p>`);
}
