// Sign up, sign in, password reset (the token comes by mail; locally, the dev mailbox).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type AccountSession, type IdentityProvider, type Mail } from '../../shared/api';
import { say } from '../errors';
import { safeNext } from '../router';
import { endSession, failed, go, signedIn, startProviderSignIn, startSession, tell } from '../state';

function useForm() {
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const submit = (work: () => Promise<void>) => async (e: Event) => {
    e.preventDefault();
    setError(null);
    setWorking(true);
    try {
      await work();
    } catch (err) {
      setError(say(err));
    } finally {
      setWorking(false);
    }
  };
  return { error, working, submit };
}

const value = (form: EventTarget | null, name: string) => ((form as HTMLFormElement).elements.namedItem(name) as HTMLInputElement).value;

function FormError({ error }: { error: string | null }) {
  return error ? (
    <p class="error-text" role="alert">
      {error}
    </p>
  ) : null;
}

export function SignInPage({ next }: { next?: string }) {
  const { error, working, submit } = useForm();
  return (
    <section aria-labelledby="signin-title" class="narrow">
      <h1 id="signin-title">Sign in</h1>
      <form
        class="panel form"
        onSubmit={(e) =>
          submit(async () => {
            const s = await api.login(value(e.currentTarget, 'email'), value(e.currentTarget, 'password'));
            startSession(s.token, s.user);
            tell(`Welcome back, ${s.user.name}.`);
            go(safeNext(next));
          })(e)
        }
      >
        <label>
          Email
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <FormError error={error} />
        <button type="submit" disabled={working}>
          {working ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="small">
          New here? <a href={`#/signup${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</a> · <a href="#/reset">Forgot your password?</a>
        </p>
      </form>
      <ProviderSignIn next={safeNext(next)} />
    </section>
  );
}

/** The identity providers the server offers (locally, its development provider). */
function ProviderSignIn({ next }: { next: string }) {
  const [providers, setProviders] = useState<IdentityProvider[]>([]);
  useEffect(() => {
    api.identityProviders().then((r) => setProviders(r.providers), () => setProviders([]));
  }, []);
  if (providers.length === 0) return null;
  return (
    <div class="panel" role="group" aria-label="Other ways to sign in">
      <p class="small">Or sign in with an account you already have elsewhere:</p>
      {providers.map((p) => (
        <button type="button" class="secondary" key={p.id} onClick={() => startProviderSignIn(p.start, next)}>
          Sign in with {p.name}
        </button>
      ))}
    </div>
  );
}

export function SignUpPage({ next }: { next?: string }) {
  const { error, working, submit } = useForm();
  return (
    <section aria-labelledby="signup-title" class="narrow">
      <h1 id="signup-title">Create an account</h1>
      <form
        class="panel form"
        onSubmit={(e) =>
          submit(async () => {
            const [name, email, password] = ['name', 'email', 'password'].map((n) => value(e.currentTarget, n));
            await api.register(email, password, name);
            const s = await api.login(email, password);
            startSession(s.token, s.user);
            tell(`Welcome, ${s.user.name}. Your account is ready.`);
            go(safeNext(next));
          })(e)
        }
      >
        <label>
          Name
          <input name="name" autocomplete="name" required />
        </label>
        <label>
          Email
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <label>
          Password <span class="muted small">(at least 8 characters)</span>
          <input name="password" type="password" autocomplete="new-password" required minLength={8} />
        </label>
        <FormError error={error} />
        <button type="submit" disabled={working}>
          {working ? 'Creating your account…' : 'Create account'}
        </button>
        <p class="small">
          Already have one? <a href="#/signin">Sign in</a>
        </p>
      </form>
    </section>
  );
}

export function ResetRequestPage() {
  const { error, working, submit } = useForm();
  const [sentTo, setSentTo] = useState<string | null>(null);
  return (
    <section aria-labelledby="reset-title" class="narrow">
      <h1 id="reset-title">Reset your password</h1>
      <form
        class="panel form"
        onSubmit={(e) =>
          submit(async () => {
            const email = value(e.currentTarget, 'email');
            await api.requestPasswordReset(email);
            setSentTo(email);
          })(e)
        }
      >
        <label>
          Email
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <FormError error={error} />
        <button type="submit" disabled={working}>
          Send me a reset token
        </button>
        {sentTo && (
          <p role="status">
            If an account exists for {sentTo}, a reset token is on its way by mail. Then <a href="#/reset/confirm">choose a new password</a>.{' '}
            <span class="muted">
              On a local platform, mail goes to the <a href={`#/mailbox?to=${encodeURIComponent(sentTo)}`}>dev mailbox</a>.
            </span>
          </p>
        )}
      </form>
    </section>
  );
}

export function ResetConfirmPage({ token }: { token?: string }) {
  const { error, working, submit } = useForm();
  return (
    <section aria-labelledby="reset-confirm-title" class="narrow">
      <h1 id="reset-confirm-title">Choose a new password</h1>
      <form
        class="panel form"
        onSubmit={(e) =>
          submit(async () => {
            await api.resetPassword(value(e.currentTarget, 'token').trim(), value(e.currentTarget, 'newPassword'));
            tell('Your password is changed. Sign in with it.');
            go('#/signin');
          })(e)
        }
      >
        <label>
          Reset token
          <input name="token" required value={token ?? ''} autocomplete="one-time-code" />
        </label>
        <label>
          New password <span class="muted small">(at least 8 characters)</span>
          <input name="newPassword" type="password" autocomplete="new-password" required minLength={8} />
        </label>
        <FormError error={error} />
        <button type="submit" disabled={working}>
          Change password
        </button>
      </form>
    </section>
  );
}

/** Local stages only: what the platform would have mailed to an address. */
export function MailboxPage({ to }: { to?: string }) {
  const [mails, setMails] = useState<Mail[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const show = async (address: string) => {
    setError(null);
    try {
      setMails((await api.devMailbox(address)).mails);
    } catch (err) {
      setMails(null);
      setError(err instanceof ApiError && err.status === 404 ? 'The dev mailbox is only there on a local platform.' : say(err));
    }
  };
  useEffect(() => {
    if (to) void show(to);
  }, [to]);
  return (
    <section aria-labelledby="mailbox-title" class="narrow">
      <h1 id="mailbox-title">Dev mailbox</h1>
      <p class="muted">On a local platform no mail leaves the machine: here is what would have been sent.</p>
      <form
        class="panel form"
        onSubmit={(e) => {
          e.preventDefault();
          go(`#/mailbox?to=${encodeURIComponent(value(e.currentTarget, 'to'))}`);
        }}
      >
        <label>
          Email address
          <input name="to" type="email" required value={to ?? ''} />
        </label>
        <button type="submit">Show mail</button>
      </form>
      {error && (
        <p class="panel error-text" role="alert">
          {error}
        </p>
      )}
      {mails && mails.length === 0 && <p class="panel">No mail for {to}.</p>}
      {mails?.map((m, i) => {
        const token = m.body.match(/: ([A-Za-z0-9_-]{20,})$/)?.[1];
        return (
          <article key={i} class="panel mail">
            <h2>{m.subject}</h2>
            <p class="muted small">{new Date(m.sentAt).toLocaleString('en-GB')}</p>
            <p class="mail-body">{m.body}</p>
            {token && <a href={`#/reset/confirm?token=${encodeURIComponent(token)}`}>Choose a new password with this token</a>}
          </article>
        );
      })}
    </section>
  );
}

const how = (signedInWith: string) => (signedInWith === 'password' ? 'with your password' : `with ${signedInWith.replace(/^oidc:/, '')} (identity provider)`);
const when = (iso: string) => new Date(iso).toLocaleString('en-IE', { dateStyle: 'medium', timeStyle: 'short' });

/** A browser's name from its user agent, roughly, as a person would recognise it. */
function browserOf(userAgent: string): string {
  const known: [RegExp, string][] = [
    [/Edg\//, 'Edge'],
    [/Firefox\//, 'Firefox'],
    [/Chrome\/|Chromium\//, 'Chrome'],
    [/Safari\//, 'Safari'],
  ];
  return known.find(([pattern]) => pattern.test(userAgent))?.[1] ?? userAgent.slice(0, 40);
}

/** The account's open sessions: where and how each signed in; any can be ended. */
export function SessionsPage() {
  const [sessions, setSessions] = useState<AccountSession[] | null>(null);
  const [working, setWorking] = useState(false);
  const load = () => api.sessions().then((r) => setSessions(r.sessions), failed);
  useEffect(() => void (signedIn.value && load()), [signedIn.value]);
  const act = async (work: () => Promise<void>) => {
    setWorking(true);
    try {
      await work();
    } catch (err) {
      failed(err);
    } finally {
      setWorking(false);
    }
  };
  const end = (s: AccountSession) =>
    act(async () => {
      await api.endSession(s.id);
      if (s.current) {
        endSession();
        tell('You are signed out.');
        go('#/');
        return;
      }
      tell('That session is ended: it is signed out.');
      await load();
    });
  const endOthers = () =>
    act(async () => {
      const { ended } = await api.endOtherSessions();
      tell(ended === 1 ? 'One other session is ended.' : `${ended} other sessions are ended.`);
      await load();
    });
  const others = sessions?.filter((s) => !s.current).length ?? 0;
  if (!signedIn.value)
    return (
      <section>
        <h1>Your sessions</h1>
        <p class="panel">
          <a href="#/signin?next=%23%2Faccount%2Fsessions">Sign in</a> to see where your account is signed in.
        </p>
      </section>
    );
  return (
    <section aria-labelledby="sessions-title">
      <h1 id="sessions-title">Your sessions</h1>
      <p class="muted">Every place your account is signed in. End any you do not recognise.</p>
      {sessions === null ? (
        <p role="status">Loading your sessions…</p>
      ) : (
        <>
          <ul class="sessions" aria-label="Open sessions">
            {sessions.map((s) => (
              <li key={s.id} class="panel">
                <p>
                  <strong>{s.current ? 'This device' : s.userAgent ? browserOf(s.userAgent) : 'Unknown device'}</strong> · signed in {how(s.signedInWith)}
                </p>
                <p class="small muted">
                  Since {when(s.signedInAt)}
                  {s.clientIp ? ` from ${s.clientIp}` : ''} · until {when(s.expiresAt)}
                </p>
                <button type="button" class="secondary" disabled={working} onClick={() => end(s)}>
                  {s.current ? 'Sign out here' : 'End this session'}
                </button>
              </li>
            ))}
          </ul>
          {others > 0 && (
            <button type="button" disabled={working} onClick={endOthers}>
              Sign out everywhere else
            </button>
          )}
        </>
      )}
    </section>
  );
}
