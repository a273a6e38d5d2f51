// The port through which payment reaches the payment provider, a system outside ours: it
// opens a session for an amount, sends the customer to pay it, tells us the outcome by a
// signed webhook, and gives money back. Payment keeps only the session's id; the provider
// keeps the rest. Which provider answers is configuration (./providers.ts).

/** The provider's word on a session, as its webhook says it once the signature checked out. */
export interface ProviderWebhook {
  /** The provider's own event id: a duplicate delivery carries the same one. */
  id: string;
  type: 'payment.succeeded' | 'payment.failed' | 'refund.succeeded';
  created: number;
  data: { sessionId: string; amount: number; currency: string; reason?: string };
}

/** Where the customer goes to pay a session, as the client is told after starting a payment. */
export interface PaymentPage {
  type: string;
  url: string;
  [detail: string]: unknown;
}

export interface PaymentProvider {
  /** Recorded with each payment: the provider that holds its session. */
  readonly name: string;
  /** Opens a session for the amount and returns its id. */
  openSession(charge: { amount: number; currency: string }): Promise<string>;
  paymentPage(sessionId: string): PaymentPage;
  /**
   * The webhook's content, believed only once its signature over the raw body checks out:
   * a bad signature is NotSignedIn, a body that is not the provider's InvalidInput or
   * ValidationFailed.
   */
  readWebhook(headers: Record<string, string | undefined>, rawBody: string): ProviderWebhook;
  /** Gives a paid session's money back; asking twice refunds once. */
  refund(sessionId: string): Promise<void>;
}
