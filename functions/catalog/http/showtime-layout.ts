import { createHash } from 'node:crypto';
import { route, ok, uuidParam, type Reply } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { showtimeLayout } from '../showtime-layout';
import { catalogConfig } from '../config';

const pool = getPool('catalog');

// A hall's seats and a showtime's prices are fixed once it is scheduled; only its status can
// change, and that is availability's to say. So: cached for a while, and revalidated cheaply.
export const handler = route({ access: 'public', params: uuidParam('id') }, async ({ params, event }): Promise<Reply> => {
  const body = await showtimeLayout(pool, params.id, catalogConfig.CURRENCY);
  const etag = `"${createHash('sha256').update(JSON.stringify(body.layout)).update(body.showtime.status).digest('base64url').slice(0, 22)}"`;
  const headers = { etag, 'cache-control': 'public, max-age=300' };
  if (event.headers?.['if-none-match'] === etag) return { status: 304, headers };
  return { ...ok(body), headers };
});
