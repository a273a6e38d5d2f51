// The port through which booking's reports learn the money of showtimes: payment's figures,
// asked for explicitly (a Lambda invoke). Booking keeps no copy of what was paid or refunded.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { PaymentFiguresAnswer, PaymentFiguresRequest } from '../../layers/contracts/calls';
import type { MoneySource } from './reports';
import { bookingConfig } from './config';

export function lambdaMoneySource(opts: { functionName: string; endpoint?: string; region: string }): MoneySource {
  const client = new LambdaClient({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const ask = async (request: PaymentFiguresRequest) => {
    const res = await client.send(new InvokeCommand({ FunctionName: opts.functionName, Payload: new TextEncoder().encode(JSON.stringify(request)) }));
    const text = new TextDecoder().decode(res.Payload ?? new Uint8Array());
    if (res.FunctionError) throw new Error(`payment's figures failed: ${text.slice(0, 500)}`);
    const answer = JSON.parse(text) as PaymentFiguresAnswer;
    if (!answer.ok) throw new Error(`payment's figures refused the request: ${answer.reason}`);
    return answer;
  };
  return {
    async moneyOf(showtimeIds) {
      if (showtimeIds.length === 0) return [];
      const answer = await ask({ showtimeIds });
      if (!('showtimes' in answer)) throw new Error("payment's figures answered something else than showtimes");
      return answer.showtimes;
    },
    async takenPayments() {
      const answer = await ask({ takenPayments: true });
      if (!('payments' in answer)) throw new Error("payment's figures answered something else than payments");
      return answer.payments;
    },
  };
}

export const paymentMoney = lambdaMoneySource({ functionName: bookingConfig.PAYMENT_FIGURES_FUNCTION, endpoint: bookingConfig.LAMBDA_ENDPOINT, region: bookingConfig.AWS_REGION });

export const reportTimeZone = bookingConfig.CINEMA_TIME_ZONE;
