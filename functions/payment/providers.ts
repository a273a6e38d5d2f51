// The one place where configuration picks the payment provider payment talks to.
import { getPool } from '../../layers/core/db';
import { paymentConfig } from './config';
import type { PaymentProvider } from './provider';
import { testProvider } from './test-provider/provider';

/**
 * The test provider's tables: a schema of its own in payment's database, on connections of
 * its own, as an outside system would have — a refund asked for inside payment's
 * transaction never waits for one of payment's connections.
 */
export const testProviderDatabase = () => getPool('payment', 'test_provider');

/** The provider named by PAYMENT_PROVIDER. */
export function paymentProvider(): PaymentProvider {
  switch (paymentConfig.PAYMENT_PROVIDER) {
    case 'test':
      return testProvider({ db: testProviderDatabase(), webhookSecret: paymentConfig.PAYMENT_WEBHOOK_SECRET, toleranceSeconds: paymentConfig.WEBHOOK_TOLERANCE_SECONDS });
  }
}
