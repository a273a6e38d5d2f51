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

// Operator reports: booking asks payment for the money of showtimes (paymentFigures), since
// booking owns seats and sales and payment owns what was taken and given back.

/** What booking sends to payment's paymentFigures: these showtimes' money, or every payment taken (to reconcile). */
export type PaymentFiguresRequest = { showtimeIds: string[] } | { takenPayments: true };

/** A showtime's money as payment has it, in the currency's minor unit. */
export interface ShowtimeMoney {
  showtimeId: string;
  currency: string | null;
  /** what was taken: payments that succeeded, whether refunded since or not */
  gross: number;
  refunds: number;
  /** payments that succeeded, and of them those refunded */
  payments: number;
  refunded: number;
}

/** A payment that took money (succeeded, or refunded since), as reconciliation compares it with booking's. */
export interface TakenPayment {
  id: string;
  checkoutId: string;
  showtimeId: string;
  amount: number;
  currency: string;
  status: 'succeeded' | 'refunded';
  refundAmount: number | null;
  updatedAt: string;
}

export type PaymentFiguresAnswer = { ok: true; showtimes: ShowtimeMoney[] } | { ok: true; payments: TakenPayment[] } | { ok: false; reason: string };
