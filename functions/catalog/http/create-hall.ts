import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { createHall } from '../halls';
import { layoutInput } from '../layout';

const pool = getPool('catalog');

const body = z.strictObject({ name: z.string().trim().min(1).max(100), layout: layoutInput });

export const handler = route({ access: 'admin', body }, async ({ body }) => {
  const hall = await createHall(pool, body.name, body.layout);
  return created({ hall }, `/halls/${hall.id}`);
});
