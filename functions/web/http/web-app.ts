// Serves the customer web app and the test provider's payment page from the API's own
// origin: `/`, `/assets/{file}` and `/test-provider/pay/{sessionId}`. The app routes with
// the URL's hash, so no other path is ever the app's, and unknown API paths keep answering
// the platform's JSON errors.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NotFound, ValidationFailed } from '../../../layers/core/errors';
import { internalErrorBody, refusalOf } from '../../../layers/core/http/errors';
import { log } from '../../../layers/core/log';
import { ASSET_NAME, contentTypeOf, fileReply, type Page } from '../assets';
import { webConfig } from '../config';

const root = resolve(webConfig.WEB_DIST_DIR);
const files = new Map<string, Buffer>();

async function load(relative: string): Promise<Buffer> {
  let content = files.get(relative);
  if (!content) {
    content = await readFile(resolve(root, relative)).catch(() => {
      throw new NotFound(relative.endsWith('.html') ? 'The web app (build it with `npx tsx web/build.ts`)' : 'Asset');
    });
    files.set(relative, content);
  }
  return content;
}

function fileOf(event: APIGatewayProxyEventV2): string {
  const path = event.rawPath ?? '/';
  if (path === '/' || path === '') return 'index.html' satisfies Page;
  if (path === '/docs') return 'docs.html' satisfies Page;
  if (path.startsWith('/test-provider/pay/')) {
    if (!/^tps_[0-9a-f]{24}$/.test(event.pathParameters?.sessionId ?? '')) throw new ValidationFailed('Invalid path: sessionId: not a payment session id', [{ path: 'sessionId', message: 'not a payment session id' }]);
    return 'test-provider.html' satisfies Page;
  }
  const name = event.pathParameters?.file ?? '';
  if (!ASSET_NAME.test(name)) throw new ValidationFailed('Invalid path: file: not an asset name', [{ path: 'file', message: 'not an asset name' }]);
  if (!contentTypeOf(name)) throw new NotFound('Asset');
  return `assets/${name}`;
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  try {
    const file = fileOf(event);
    return fileReply(file, await load(file), event.headers?.['if-none-match'] ?? event.headers?.['If-None-Match']);
  } catch (err) {
    const refusal = refusalOf(err);
    if (!refusal) log.error('web app file failed', { err });
    return {
      statusCode: refusal?.status ?? 500,
      headers: { 'content-type': 'application/json; charset=utf-8', ...refusal?.headers },
      body: JSON.stringify(refusal?.body ?? internalErrorBody),
    };
  }
}
