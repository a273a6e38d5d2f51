// The cinema's ticket-issuing public keys, for anyone who checks a ticket: old keys stay
// listed after a rotation, so the tickets they signed still verify.
import { route, ok } from '../../../layers/core/http';
import { ticketKeys } from '../ticket-keys';

export const handler = route({ access: 'public' }, async () => {
  const keys = ticketKeys();
  return ok({ algorithm: 'secp256k1 ECDSA over SHA-256, compact signature', signingKeyId: keys.signing.keyId, keys: keys.published });
});
