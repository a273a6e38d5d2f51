// The explicit calls between domains, as contracts both sides import (each a Lambda invoke):
// payment asking booking for a customer's checkout (checkoutForPayment), so that the amount
// and seats it charges come from booking and never from a client; and booking asking auth
// who customers are (customerDirectory), so that an operator finds bookings by a customer's
// email without booking keeping a copy of it.

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

/** What booking sends to auth's customerDirectory: the accounts with these emails (any case), or these ids. */
export interface CustomerLookup {
  emails?: string[];
  userIds?: string[];
}

/** A customer as an operator reads one beside a booking. */
export interface Customer {
  userId: string;
  email: string;
  name: string;
}

/** What auth's customerDirectory answers: the accounts it found (unknown ones are left out). */
export type CustomerLookupAnswer = { ok: true; customers: Customer[] } | { ok: false; reason: string };
