// The explicit calls between domains, as contracts both sides import: today one, payment
// asking booking for a customer's checkout (a Lambda invoke of checkoutForPayment), so that
// the amount and seats it charges come from booking and never from a client.

/** A customer's live holds of one showtime, frozen into an amount to pay. */
export interface Checkout {
  id: string;
  userId: string;
  showtimeId: string;
  seats: string[];
  amount: number;
  currency: string;
  /** `superseded`: the customer checked out changed holds of the same showtime since. */
  status: 'open' | 'booked' | 'rejected' | 'superseded';
  holdExpiresAt: string | null;
  createdAt: string;
}

/** What payment sends to booking's checkoutForPayment. */
export interface CheckoutRequest {
  userId: string;
  checkoutId: string;
}

/** What booking's checkoutForPayment answers. */
export type CheckoutAnswer = { found: true; checkout: Checkout } | { found: false; reason: string };
