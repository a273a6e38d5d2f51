import { z } from 'zod';
import { loadConfig, env } from '../../layers/core/config';

export const paymentConfig = loadConfig({
  PAYMENT_PROVIDER: z.enum(['test']).default('test'),
  // shared with the provider; signs its webhooks
  PAYMENT_WEBHOOK_SECRET: env.secret(32),
  WEBHOOK_TOLERANCE_SECONDS: env.int(300, 10, 3600),
  // where the built-in test provider delivers its webhooks (the gateway's /payments/webhook)
  PAYMENT_WEBHOOK_URL: z.url().default('http://127.0.0.1:4000/payments/webhook'),
  // the explicit call to booking: its function's name, and locally serverless-offline's Lambda endpoint
  BOOKING_CHECKOUT_FUNCTION: z.string().min(1).default('cinema-local-checkoutForPayment'),
  LAMBDA_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  AWS_REGION: z.string().default('us-east-1'),
});
