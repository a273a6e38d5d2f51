// The built-in test provider's own payment page: outside the cinema, as a real provider's
// hosted page is. The customer types a card number (one of the three test cards), the
// provider decides, tells the cinema by signed webhook, and sends the customer back.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, money, type ProviderSession } from '../shared/api';
import './styles.css';

const sessionId = location.pathname.split('/').pop() ?? '';
const back = new URLSearchParams(location.search).get('return');
// only a page of the cinema on this same origin
const returnTo = back && /^\/#\/[A-Za-z0-9/_-]*$/.test(back) ? back : '/#/';

function Page() {
  const [session, setSession] = useState<ProviderSession | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [working, setWorking] = useState(false);
  const [card, setCard] = useState('');

  useEffect(() => {
    api.providerSession(sessionId).then(setSession, (err) => setError(err instanceof ApiError && err.status === 404 ? 'This payment does not exist.' : 'The payment provider cannot be reached right now.'));
  }, []);

  const pay = async (e: Event) => {
    e.preventDefault();
    setWorking(true);
    setError(null);
    try {
      const r = await api.providerPay(sessionId, card.replace(/[\s-]/g, ''));
      if (r.outcome === 'succeeded') {
        setOutcome({ ok: true, text: 'Payment approved. Taking you back to the cinema…' });
        location.assign(returnTo);
      } else setOutcome({ ok: false, text: `Your card was refused: ${r.reason ?? 'declined'}. Nothing was charged.` });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setOutcome({ ok: false, text: `${err.message}.` });
      else if (err instanceof ApiError && err.status === 400) setError('That is not one of the test cards: use one of the numbers below.');
      else setError('The payment provider cannot take the payment right now. Please try again.');
    } finally {
      setWorking(false);
    }
  };

  return (
    <main class="provider">
      <header>
        <p class="provider-name">TestPay</p>
        <p class="muted">The cinema's built-in test payment provider. No real money moves.</p>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {session && (
        <section aria-labelledby="pay-title">
          <h1 id="pay-title">Pay {money(session.amount, session.currency)} to Cinema</h1>
          {session.status !== 'open' || outcome ? (
            <div role="status" class={outcome?.ok ? 'ok' : 'refused'}>
              <p>{outcome?.text ?? `This payment is already ${session.status}.`}</p>
              <p>
                <a href={returnTo}>Return to the cinema</a>
              </p>
            </div>
          ) : (
            <form onSubmit={pay}>
              <label>
                Card number
                <input name="card" inputMode="numeric" autocomplete="cc-number" required value={card} onInput={(e) => setCard(e.currentTarget.value)} placeholder="4242 4242 4242 4242" />
              </label>
              <button type="submit" disabled={working}>
                {working ? 'Paying…' : `Pay ${money(session.amount, session.currency)}`}
              </button>
            </form>
          )}
          <table>
            <caption>Test cards</caption>
            <thead>
              <tr>
                <th scope="col">Card number</th>
                <th scope="col">What happens</th>
              </tr>
            </thead>
            <tbody>
              {session.testCards.map((c) => (
                <tr key={c.number}>
                  <td>
                    <code>{c.number.replace(/(\d{4})(?=\d)/g, '$1 ')}</code>
                  </td>
                  <td>{c.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <a href={returnTo}>Cancel and return to the cinema</a>
          </p>
        </section>
      )}
      {!session && !error && <p aria-busy="true">Loading the payment…</p>}
    </main>
  );
}

render(<Page />, document.getElementById('root')!);
