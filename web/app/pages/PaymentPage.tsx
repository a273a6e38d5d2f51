// Back from the provider: wait for the payment's outcome, then for the booking it makes.
import { useEffect, useState } from 'preact/hooks';
import { api, money, type Payment } from '../../shared/api';
import { say } from '../errors';
import { go, refreshCart } from '../state';

export function PaymentPage({ id }: { id: string }) {
  const [payment, setPayment] = useState<Payment | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const p = (await api.payment(id)).payment;
        if (stopped) return;
        setPayment(p);
        if (p.status === 'succeeded') {
          const booking = (await api.bookings()).items.find((b) => b.paymentId === id);
          if (booking) {
            void refreshCart();
            return go(`#/bookings/${booking.id}`);
          }
        }
        if (p.status === 'failed') return void refreshCart();
      } catch (err) {
        return setError(say(err));
      }
      if (!stopped) timer = setTimeout(poll, 700);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  if (error) return <p class="panel error-text">{error}</p>;
  return (
    <section aria-labelledby="payment-title" class="narrow">
      <h1 id="payment-title">Your payment</h1>
      <div class="panel" role="status">
        {!payment || payment.status === 'pending' ? (
          <p aria-busy="true">Waiting for the payment provider's answer…</p>
        ) : payment.status === 'succeeded' ? (
          <p aria-busy="true">Paid {money(payment.amount, payment.currency)}. Confirming your seats…</p>
        ) : payment.status === 'failed' ? (
          <>
            <p class="error-text">
              The payment did not go through{payment.failureReason ? `: ${payment.failureReason}` : ''}. Nothing was charged.
            </p>
            <p>
              Your seats stay held until their hold runs out: <a href="#/cart">try again from your cart</a>.
            </p>
          </>
        ) : (
          <p>
            We could not confirm your seats{payment.refund ? ` (${payment.refund.reason})` : ''}, so your payment of {money(payment.amount, payment.currency)} was refunded. <a href="#/">Pick other seats</a>.
          </p>
        )}
      </div>
    </section>
  );
}
