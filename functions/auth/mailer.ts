// The mail port. Locally, mail goes to a dev mailbox table that tests and `cinema mail`
// read; a deployment plugs a real sender in behind the same interface.
import type { Queryable } from '../../layers/core/db';

export interface Mail {
  to: string;
  subject: string;
  body: string;
  /** The fact it tells of (an event id): a mail with a key is sent once, however often it is asked for. */
  key?: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export function devMailbox(db: Queryable): Mailer {
  return {
    async send(mail) {
      await db.query('INSERT INTO dev_mailbox (to_address, subject, body, fact_key) VALUES ($1, $2, $3, $4) ON CONFLICT (fact_key) DO NOTHING', [mail.to, mail.subject, mail.body, mail.key ?? null]);
    },
  };
}

export async function readMailbox(db: Queryable, to: string): Promise<{ subject: string; body: string; sentAt: Date }[]> {
  const { rows } = await db.query('SELECT subject, body, sent_at FROM dev_mailbox WHERE to_address = $1 ORDER BY id DESC', [to]);
  return rows.map((r) => ({ subject: r.subject, body: r.body, sentAt: r.sent_at }));
}
