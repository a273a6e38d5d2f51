// The web app's pages and the API's own description, as the API description tells them.
import { z } from 'zod';
import { errorBody, gatewayRefusal, refusal, type ApiDocs } from '../../layers/core/http/api-doc';

const page = (description: string) => ({ description, content: 'text/html' as const });
const tag = 'Pages';

export const api: ApiDocs = {
  webApp: {
    tag,
    summary: 'The web app: its page (`/`), its files (`/assets/{file}`) and the test provider’s payment page',
    params: { file: 'A file of the built app', sessionId: 'The test provider’s session id' },
    responses: { 200: page('The page or file'), 304: { description: 'Your copy (If-None-Match) is current' }, 400: { description: 'Not a file name or session id (or a URL the gateway cannot decode, in its own words)', body: z.union([errorBody, gatewayRefusal]) }, 404: refusal('No such file') },
  },
  apiDocument: {
    tag: 'API description',
    summary: 'This document: OpenAPI 3.1',
    responses: { 200: { description: 'The OpenAPI document', body: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }) } },
  },
  apiReference: { tag: 'API description', summary: 'The API reference, a page to read and try this document', responses: { 200: page('The reference page'), 404: refusal('The web app is not built on this stage') } },
};
