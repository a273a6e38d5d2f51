// Checkout: the seats and the amount as frozen by the server, and the way to pay them on
// the payment provider's own page.
import { useEffect, useState } from 'preact/hooks';
import { api, money, type Payment } from '../../shared/api';
import { say } from '../errors';
import { paymentPage } from '../state';

export function CheckoutPage({ paymentId }: { paymentId: string }) {
  const [payment, setPayment] = useState<Payment | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.payment(paymentId).then((r) => setPayment(r.payment), (err) => setError(say(err)));
  }, [paymentId]);
  if (error) return <p class="panel error-text">{error}</p>;
  if (!payment) return <p aria-busy="true">Loading your checkout…</p>;
  const page = paymentPage.value?.paymentId === paymentId ? paymentPage.value.pageUrl : `/test-provider/pay/${payment.providerSessionId}`;
  const back = `/#/payments/${paymentId}`;
  return (
    <section aria-labelledby="checkout-title" class="narrow">
      <h1 id="checkout-title">Checkout</h1>
      <div class="panel">
        <p>
          Seats <strong>{payment.seats.join(', ')}</strong>
        </p>
        <p class="total">
          To pay <strong>{money(payment.amount, payment.currency)}</strong>
        </p>
        {payment.status === 'pending' ? (
          <a class="button" href={`${page}?return=${encodeURIComponent(back)}`}>
            Pay {money(payment.amount, payment.currency)}
          </a>
        ) : (
          <p>
            This payment is {payment.status}. <a href={`#/payments/${paymentId}`}>See what happened</a>
          </p>
        )}
        <p class="muted small">You pay on the payment provider's page; it brings you back here.</p>
      </div>
    </section>
  );
}
