import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { getPayment, nextStepOf } from '../payments';

const pool = getPool('payment');

export const handler = route({ access: 'signed-in', params: uuidParam('id') }, async ({ caller, params }) => {
  const payment = await getPayment(pool, caller, params.id);
  return ok({ payment, nextStep: nextStepOf(payment) });
});
