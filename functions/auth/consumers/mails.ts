// Booking and payment facts → the customer's mails. Auth sends them because the customer's
// address is auth's to know; the inbox and the mail's key make it one mail per fact.
import { getPool } from '../../../layers/core/db';
import type { ConsumerQueue } from '../../../layers/contracts/consumers';
import { consumerHandler } from '../../../layers/contracts/consumer-handler';
import { handleOnce } from '../../../layers/events/inbox';
import { devMailbox } from '../mailer';
import { bookingMail } from '../booking-mails';

const queue: ConsumerQueue = 'auth-mails';
const pool = getPool('auth');

export const handler = consumerHandler(queue, async (event, { log }) => {
  const userId = (event.data as { userId?: unknown }).userId;
  await handleOnce(pool, queue, event, async (tx) => {
    const { rows } = await tx.query('SELECT email FROM users WHERE id = $1', [userId]);
    // an account closed since: nobody to tell
    if (!rows[0]) return log.info('no account to mail', { eventId: event.id });
    const mail = bookingMail(event, rows[0].email);
    if (mail) await devMailbox(tx).send(mail);
  });
});
