// The port through which payment learns what to charge: booking's checkout, asked for
// explicitly (a Lambda invoke), never taken from the client's request.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Checkout, CheckoutAnswer, CheckoutRequest } from '../../layers/contracts/calls';

export interface CheckoutSource {
  checkoutFor(userId: string, checkoutId: string): Promise<Checkout | undefined>;
}

export function lambdaCheckoutSource(opts: { functionName: string; endpoint?: string; region: string }): CheckoutSource {
  const client = new LambdaClient({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return {
    async checkoutFor(userId, checkoutId) {
      const res = await client.send(new InvokeCommand({ FunctionName: opts.functionName, Payload: new TextEncoder().encode(JSON.stringify({ userId, checkoutId } satisfies CheckoutRequest)) }));
      const text = new TextDecoder().decode(res.Payload ?? new Uint8Array());
      if (res.FunctionError) throw new Error(`booking's checkout function failed: ${text.slice(0, 500)}`);
      const answer = JSON.parse(text) as CheckoutAnswer;
      return answer.found ? answer.checkout : undefined;
    },
  };
}
