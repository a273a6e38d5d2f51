// GET /openapi.json: the API's description, as `npm run openapi` generated it from the route
// table and the routes' schemas (infra/openapi); a test holds it to what they say now.
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import document from '../../../docs/openapi.json';

const body = JSON.stringify(document);

export async function handler(): Promise<APIGatewayProxyResultV2> {
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' }, body };
}
