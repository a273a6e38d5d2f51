// The one shape every event has on the wire, whatever the transport. The whole envelope
// travels in the message body, so a consumer never depends on broker-specific headers.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

// Consumers read tolerantly: a type published by a newer producer must not become a poison
// message for an older consumer, so the envelope only checks the type's form. Which types
// exist, and who publishes them, is the application's to declare (the cinema's are in
// layers/contracts/events.ts, whose constructors hold publishers to that list).
const eventTypeForm = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'must be dot-separated lower-case words, e.g. booking.confirmed');

export const envelopeSchema = z.object({
  id: z.uuid(),
  type: eventTypeForm,
  version: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  source: z.string().min(1).max(100),
  correlationId: z.string().min(1).max(200),
  data: z.record(z.string(), z.unknown()),
  // the publishing domain's signature (signature.ts); optional in form, required by every consumer
  signature: z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits'), value: z.string().max(200) }).optional(),
});

export type Envelope<Data extends Record<string, unknown> = Record<string, unknown>> = Omit<z.infer<typeof envelopeSchema>, 'data'> & {
  data: Data;
};

export interface NewEventOptions {
  /** The publishing domain, e.g. `booking`. */
  source: string;
  /** Carried over from the request or the event that caused this one; a fresh chain starts otherwise. */
  correlationId?: string;
  version?: number;
  id?: string;
  occurredAt?: Date;
}

export function newEvent<Data extends Record<string, unknown>>(type: string, data: Data, options: NewEventOptions): Envelope<Data> {
  const id = options.id ?? randomUUID();
  const event = {
    id,
    type,
    version: options.version ?? 1,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    source: options.source,
    correlationId: options.correlationId ?? id,
    data,
  };
  // A malformed event fails here, in the publisher's request, not later as a poison message.
  envelopeSchema.parse(event);
  return event;
}

export class InvalidEnvelopeError extends Error {
  override name = 'InvalidEnvelopeError';
}

export type EnvelopeParse = { ok: true; event: Envelope } | { ok: false; reason: string };

/** Parses a message body (JSON text or bytes) into an envelope, saying why when it is not one. */
export function parseEnvelope(body: string | Uint8Array): EnvelopeParse {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `body is not JSON: ${(err as Error).message}` };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, event: parsed.data };
}

/** The envelope's identity as flat strings, for transports that carry attributes beside the body. */
export interface EventAttributes {
  eventId: string;
  eventType: string;
  eventVersion: string;
  source: string;
  correlationId: string;
}

export function attributesOf(event: Envelope): EventAttributes {
  return {
    eventId: event.id,
    eventType: event.type,
    eventVersion: String(event.version),
    source: event.source,
    correlationId: event.correlationId,
  };
}
