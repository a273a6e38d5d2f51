// What a public block may reveal of a customer: nothing that names them or what they bought.
// A fact's user id, seats and amount go on the chain as salted commitments — SHA-256 over the
// field's name, its value and a fresh 32-byte secret salt — and stay in clear, with their salts,
// in the ledger's own database and in the booking's proof the owner downloads. So the chain
// stays verifiable by anyone (signatures and Merkle roots cover the commitments), the same
// customer's facts share no value an outsider could link, the small spaces of seats and amounts
// cannot be searched without the salt, and the owner can show a commitment holds their values.
// Imported by the browser's proof check too: no Node modules.
import { sha256Hex, taggedBytes, type Json } from '../../blockchain-nodes/verifier';

/** The fields a public fact never shows in clear. */
export const COMMITTED_FIELDS = ['userId', 'seats', 'amount'] as const;
export type CommittedField = (typeof COMMITTED_FIELDS)[number];

/** A committed field's clear value and its salt: what opens the commitment on the chain. */
export type Disclosure = Partial<Record<CommittedField, { value: Json; salt: string }>>;

export function commitment(field: string, value: Json, salt: string): string {
  return sha256Hex(taggedBytes('commitment', { field, salt, value }));
}

function freshSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Splits a fact's data into what the chain shows, the commitments to the rest, and the disclosure that opens them. */
export function seal(data: Record<string, Json>): { shown: Record<string, Json>; commitments: Record<string, string>; disclosure: Disclosure } {
  const shown: Record<string, Json> = {};
  const commitments: Record<string, string> = {};
  const disclosure: Disclosure = {};
  for (const [field, value] of Object.entries(data)) {
    if (!(COMMITTED_FIELDS as readonly string[]).includes(field)) {
      shown[field] = value;
      continue;
    }
    const salt = freshSalt();
    commitments[field] = commitment(field, value, salt);
    disclosure[field as CommittedField] = { value, salt };
  }
  return { shown, commitments, disclosure };
}

export type Opened = { ok: true; values: Record<string, unknown> } | { ok: false; reason: string };

/**
 * A fact's values as its owner may show them: the public data, and each commitment opened by the
 * disclosure — which must open every one of them, and claim nothing the chain did not commit.
 */
export function openFact(payload: unknown, disclosure: unknown): Opened {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as { data?: unknown; commitments?: unknown };
  const data = (typeof p.data === 'object' && p.data !== null ? p.data : {}) as Record<string, unknown>;
  const commitments = (typeof p.commitments === 'object' && p.commitments !== null ? p.commitments : {}) as Record<string, unknown>;
  const given = (typeof disclosure === 'object' && disclosure !== null ? disclosure : {}) as Record<string, { value?: unknown; salt?: unknown } | undefined>;
  const values: Record<string, unknown> = { ...data };
  for (const field of Object.keys(given)) {
    if (!(field in commitments)) return { ok: false, reason: `the proof discloses a ${field} the chain does not commit to` };
  }
  for (const [field, committed] of Object.entries(commitments)) {
    const opening = given[field];
    if (!opening || typeof opening.salt !== 'string' || !('value' in opening)) return { ok: false, reason: `the proof does not disclose the ${field} the chain commits to` };
    let matches = false;
    try {
      matches = commitment(field, opening.value as Json, opening.salt) === committed;
    } catch {
      matches = false;
    }
    if (!matches) return { ok: false, reason: `the disclosed ${field} does not match the commitment on the chain` };
    values[field] = opening.value;
  }
  return { ok: true, values };
}
