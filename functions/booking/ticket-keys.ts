// Booking's ticket-issuing keys. TICKET_KEYS lists the keys booking holds ("id:secret-hex",
// comma-separated); TICKET_KEY_ID picks the one that signs new tickets (the highest id by
// default); TICKET_RETIRED_KEYS lists public keys ("id:public-hex") whose secrets are gone but
// whose tickets are still out there. All of them are published, so a rotation never
// invalidates a ticket already issued. Without TICKET_KEYS (a local stack), key 1 is derived
// from the stage's JWT secret, so every function of one installation agrees on it.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { loadConfig } from '../../layers/core/config';
import { ticketPublicKey, type PublishedKey } from '../../layers/contracts/ticket-code';

const idd = z.coerce.number().int().min(1).max(255);
const pairs = (what: string, bytes: number) =>
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const out: { keyId: number; hex: string }[] = [];
      for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
        const [id, hex] = part.split(':');
        const keyId = idd.safeParse(id);
        if (!keyId.success || !hex || !new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(hex)) {
          ctx.addIssue({ code: 'custom', message: `must be id:${what} pairs (id 1–255, ${bytes} bytes of lower-case hex), comma-separated` });
          return z.NEVER;
        }
        out.push({ keyId: keyId.data, hex });
      }
      return out;
    });

const settings = loadConfig({
  TICKET_KEYS: pairs('secret', 32),
  TICKET_KEY_ID: z.preprocess((v) => (v === '' ? undefined : v), idd.optional()),
  TICKET_RETIRED_KEYS: pairs('public key', 33),
  JWT_SECRET: z.string().default(''),
});

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));

export interface TicketKeys {
  signing: { keyId: number; secretKey: Uint8Array };
  published: PublishedKey[];
}

export function ticketKeysFrom(s: typeof settings): TicketKeys {
  let held = s.TICKET_KEYS.map((k) => ({ keyId: k.keyId, secretKey: fromHex(k.hex) }));
  if (!held.length) {
    if (!s.JWT_SECRET) throw new Error('TICKET_KEYS is not set, and there is no JWT_SECRET to derive a development key from');
    held = [{ keyId: 1, secretKey: createHmac('sha256', s.JWT_SECRET).update('cinema ticket-issuing key 1').digest() }];
  }
  const keyId = s.TICKET_KEY_ID ?? Math.max(...held.map((k) => k.keyId));
  const signing = held.find((k) => k.keyId === keyId);
  if (!signing) throw new Error(`TICKET_KEY_ID ${keyId} is not one of TICKET_KEYS`);
  const published = [
    ...held.map((k) => ({ keyId: k.keyId, publicKey: ticketPublicKey(k.secretKey) })),
    ...s.TICKET_RETIRED_KEYS.filter((r) => !held.some((k) => k.keyId === r.keyId)).map((r) => ({ keyId: r.keyId, publicKey: r.hex })),
  ].sort((a, b) => a.keyId - b.keyId);
  return { signing, published };
}

let keys: TicketKeys | undefined;
/** Built on first use, so a booking function that issues no ticket never needs the keys. */
export const ticketKeys = (): TicketKeys => (keys ??= ticketKeysFrom(settings));
