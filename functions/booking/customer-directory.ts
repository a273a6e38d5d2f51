// The port through which booking learns who customers are: auth's directory, asked for
// explicitly (a Lambda invoke). Booking keeps no copy of anyone's email, so an operator's
// search by email always finds the account as it is now (an email changed since booking too).
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Customer, CustomerLookup, CustomerLookupAnswer } from '../../layers/contracts/calls';

export interface CustomerDirectory {
  lookUp(by: CustomerLookup): Promise<Customer[]>;
}

export function lambdaCustomerDirectory(opts: { functionName: string; endpoint?: string; region: string }): CustomerDirectory {
  const client = new LambdaClient({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return {
    async lookUp(by) {
      if (!by.emails?.length && !by.userIds?.length) return [];
      const res = await client.send(new InvokeCommand({ FunctionName: opts.functionName, Payload: new TextEncoder().encode(JSON.stringify(by)) }));
      const text = new TextDecoder().decode(res.Payload ?? new Uint8Array());
      if (res.FunctionError) throw new Error(`auth's customer directory failed: ${text.slice(0, 500)}`);
      const answer = JSON.parse(text) as CustomerLookupAnswer;
      if (!answer.ok) throw new Error(`auth's customer directory refused the lookup: ${answer.reason}`);
      return answer.customers;
    },
  };
}
