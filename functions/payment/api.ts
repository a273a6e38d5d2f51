// Payment's routes as the API description tells them (infra/openapi builds the document).
import { z } from 'zod';
import { instant, pageOf, refusal, uuid, type ApiDocs } from '../../layers/core/http/api-doc';

export const payment = z
  .looseObject({
    id: uuid,
    checkoutId: uuid,
    showtimeId: uuid,
    seats: z.array(z.string()),
    amount: z.number(),
    currency: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed', 'refunded']),
    providerSessionId: z.string(),
    failureReason: z.string().nullable(),
    refund: z.looseObject({ id: z.string(), amount: z.number(), reason: z.string(), refundedAt: instant }).nullable().describe('The money given back, and why'),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Payment' });

const nextStep = z.looseObject({ canPay: z.boolean(), message: z.string() }).meta({ id: 'NextStep', description: 'What can be done with the payment, in words' });
const nextAction = z
  .looseObject({ type: z.string(), url: z.string().describe('Where to send the card (the test provider)'), pageUrl: z.string().optional().describe('The provider’s payment page'), testCards: z.array(z.string()) })
  .nullable()
  .describe('Only while the payment is pending: how to pay');
const paymentStart = z.object({ payment, nextAction, nextStep }).meta({ id: 'PaymentStart' });

const session = z.string().describe('The test provider’s session id: tps_ and 24 hex digits');

export const api: ApiDocs = {
  startPayment: {
    tag: 'Payments',
    summary: 'Pay a checkout: the amount and seats are the checkout’s, never the request’s',
    responses: {
      200: { description: 'The live payment of this checkout', body: paymentStart },
      201: { description: 'A new payment attempt', body: paymentStart },
      404: refusal('No such checkout of mine'),
      409: refusal('The checkout is paid already, or its holds are gone'),
      410: refusal('The checkout expired'),
      422: refusal('The checkout cannot be paid'),
    },
  },
  listPayments: { tag: 'Payments', summary: 'My payments, newest first', responses: { 200: { description: 'One page of payments', body: pageOf(payment) } } },
  getPayment: { tag: 'Payments', summary: 'One of my payments', responses: { 200: { description: 'The payment', body: z.object({ payment, nextStep }) }, 404: refusal('No such payment of mine') } },
  providerWebhook: {
    tag: 'Payments',
    summary: 'The payment provider’s signed word on a payment (HMAC over timestamp and body)',
    description: 'For the provider only. A duplicate changes nothing.',
    responses: {
      200: { description: 'Received', body: z.looseObject({ received: z.literal(true), outcome: z.enum(['applied', 'duplicate', 'ignored']) }) },
      401: refusal('The signature does not hold, or is too old'),
      422: refusal('It names no payment of ours'),
    },
  },
  testProviderPay: {
    tag: 'Test provider',
    summary: 'Pay a session with a test card (the built-in provider plays the card network)',
    responses: {
      200: {
        description: 'The card’s outcome; the provider’s webhook has been delivered',
        body: z.looseObject({ sessionId: session, outcome: z.enum(['succeeded', 'failed']), reason: z.string().nullable(), webhookStatus: z.number().int().describe('What our webhook answered') }),
      },
      404: refusal('No such session'),
      409: refusal('The session is paid or closed already'),
      422: refusal('Not a test card'),
    },
  },
  testProviderSession: {
    tag: 'Test provider',
    summary: 'A test provider’s session: its amount and the test cards',
    responses: {
      200: {
        description: 'The session',
        body: z.looseObject({ sessionId: session, amount: z.number(), currency: z.string(), status: z.enum(['open', 'paid', 'declined', 'refunded']), testCards: z.array(z.looseObject({ number: z.string(), outcome: z.string() })) }),
      },
      404: refusal('No such session'),
    },
  },
};
