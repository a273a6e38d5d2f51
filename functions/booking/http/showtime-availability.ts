// Public, personal when signed in: who holds what is exact (the arbiter's claims), and an
// unchanged map costs the caller a 304 and us one small indexed read.
import { route, ok, uuidParam, type Reply } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { NotFound } from '../../../layers/core/errors';
import { availabilityVersion, readAvailability } from '../availability';

const pool = getPool('booking');

// private: a signed-in caller's map has their own holds in it; no-cache: always ask, a 304 is cheap
const caching = (version: string) => ({ etag: `"${version}"`, 'cache-control': 'private, no-cache', vary: 'Authorization' });

export const handler = route({ access: 'optional', params: uuidParam('id') }, async ({ params, caller, event }): Promise<Reply> => {
  const userId = caller?.userId;
  const asked = event.headers?.['if-none-match'];
  if (asked) {
    const version = await availabilityVersion(pool, params.id, userId);
    if (version === null) throw new NotFound('Showtime');
    if (asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === `"${version}"`)) return { status: 304, headers: caching(version) };
  }
  const availability = await readAvailability(pool, params.id, userId);
  return { ...ok(availability), headers: caching(availability.version) };
});
