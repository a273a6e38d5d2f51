// The gateway's catch-all (HTTP API's `$default` route, serverless-offline's `/{default*}`): a
// path that is no route answers our JSON error, not the gateway's own text or page. A real
// route always wins over it, here and on AWS.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { NotFound } from '../../../layers/core/errors';
import { saneCorrelationId } from '../../../layers/core/http/correlation';
import { refusalOf } from '../../../layers/core/http/errors';
import { respond } from '../../../layers/core/http/reply';

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const refusal = refusalOf(new NotFound(`Route ${method} ${event.rawPath ?? '/'}`.slice(0, 300)))!;
  const correlationId = saneCorrelationId(event.headers?.['x-correlation-id']) ?? randomUUID();
  return respond(refusal, correlationId);
}
