// The events payment publishes, with their data shapes.
import { z } from 'zod';
import { newEvent } from '../../layers/events/envelope';

export const paymentSucceededData = z.object({
  paymentId: z.uuid(),
  checkoutId: z.uuid(),
  userId: z.uuid(),
  showtimeId: z.uuid(),
  seats: z.array(z.string()).min(1),
  amount: z.number().int().min(0),
  currency: z.string().length(3),
  provider: z.string(),
});
export type PaymentSucceeded = z.infer<typeof paymentSucceededData>;

export const paymentFailedData = z.object({ paymentId: z.uuid(), checkoutId: z.uuid(), userId: z.uuid(), reason: z.string() });
export type PaymentFailed = z.infer<typeof paymentFailedData>;

export const paymentRefundedData = z.object({
  paymentId: z.uuid(),
  refundId: z.uuid(),
  checkoutId: z.uuid(),
  userId: z.uuid(),
  amount: z.number().int().min(0),
  currency: z.string().length(3),
  reason: z.string(),
});
export type PaymentRefunded = z.infer<typeof paymentRefundedData>;

export const paymentSucceeded = (data: PaymentSucceeded, correlationId?: string) => newEvent('payment.success', data, { source: 'payment', correlationId });
export const paymentFailed = (data: PaymentFailed, correlationId?: string) => newEvent('payment.failed', data, { source: 'payment', correlationId });
export const paymentRefunded = (data: PaymentRefunded, correlationId?: string) => newEvent('payment.refunded', data, { source: 'payment', correlationId });
