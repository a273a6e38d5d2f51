import type { Signer } from '../chain/crypto';
import { defaultRules, openChain, type Chain, type ConsensusRules, type Genesis } from '../chain/genesis';
import { signTransaction, type Transaction } from '../chain/transaction';
import type { Json } from '../chain/encoding';
import type { Random } from './random';
import type { SignatureScheme } from './signatures';

export interface TestCluster {
  genesis: Genesis;
  chain: Chain;
  replicaSigners: Signer[];
  /** The ledger service: the only registered submitter. */
  ledger: Signer;
  scheme: SignatureScheme;
}

export function testCluster(n: number, scheme: SignatureScheme, rules: Partial<ConsensusRules> = {}): TestCluster {
  const replicaSigners = Array.from({ length: n }, (_, i) => scheme.signer(`replica-${i}`));
  const ledger = scheme.signer('ledger');
  const genesis: Genesis = {
    chainName: `cinema-sim-${n}`,
    createdAt: 1_700_000_000_000,
    replicas: replicaSigners.map((s, id) => ({ id, address: `127.0.0.1:${4006 + id}`, publicKey: s.publicKey })),
    submitters: [{ name: 'ledger', publicKey: ledger.publicKey }],
    rules: { ...defaultRules, ...rules },
  };
  return { genesis, chain: openChain(genesis), replicaSigners, ledger, scheme };
}

const EVENT_TYPES = ['payment.success', 'booking.confirmed', 'booking.cancelled', 'payment.refunded'] as const;

/** A ledger transaction shaped like the events the cinema's ledger functions submit. */
export function cinemaTransaction(signer: Signer, rng: Random, overrides: { id?: string; type?: string; payload?: Json } = {}): Transaction {
  const type = overrides.type ?? rng.pick(EVENT_TYPES);
  const bookingId = rng.uuid();
  const payload: Json = overrides.payload ?? {
    bookingId,
    showtimeId: `st-${rng.int(1, 40)}`,
    seats: Array.from({ length: rng.int(1, 4) }, () => `${String.fromCharCode(65 + rng.int(0, 11))}${rng.int(1, 20)}`),
    amountCents: rng.int(900, 6000),
    currency: 'EUR',
  };
  return signTransaction({ id: overrides.id ?? rng.uuid(), type, payload, submitter: signer.publicKey }, signer);
}
