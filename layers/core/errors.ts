// The domains' refusals, in the cinema's words: a movie that is not there, a seat already
// taken, a rule the request breaks. They know nothing of HTTP: the HTTP layer gives each
// kind its status and our JSON error (layers/core/http/errors.ts), and a consumer treats
// them as it treats any failure. Anything that is not one of them is our own fault.
import type { z } from 'zod';

export type DomainErrorKind =
  | 'not-found'
  | 'conflict'
  | 'rule-broken'
  | 'invalid-input'
  | 'validation-failed'
  | 'not-signed-in'
  | 'not-allowed'
  | 'too-many-tries'
  | 'gone'
  | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    message: string,
    /** What the caller may be shown besides the message (the taken seats, the fields in error…). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** What was asked for does not exist, or is not the caller's to see. */
export class NotFound extends DomainError {
  readonly kind = 'not-found';
  constructor(readonly what: string) {
    super(`${what} not found`);
  }
}

/** The request clashes with how things stand: a seat taken, a name in use, a booking already cancelled. */
export class Conflict extends DomainError {
  readonly kind = 'conflict';
}

/** The request is well formed but breaks one of the domain's rules (a showtime in the past, too many seats). */
export class RuleBroken extends DomainError {
  readonly kind = 'rule-broken';
}

/** What was sent cannot be used as it is (an unusable token, a body that is not JSON). */
export class InvalidInput extends DomainError {
  readonly kind = 'invalid-input';
}

export interface Issue {
  path: string;
  message: string;
}

/** What was sent does not have the expected shape; each issue names a field and what is wrong with it. */
export class ValidationFailed extends DomainError {
  readonly kind = 'validation-failed';
  constructor(
    message: string,
    readonly issues: Issue[],
  ) {
    super(message, issues);
  }
}

/** The caller has not proven who they are: no session, or a wrong password or signature. */
export class NotSignedIn extends DomainError {
  readonly kind = 'not-signed-in';
  constructor(message = 'Sign in required') {
    super(message);
  }
}

/** The caller is known but may not do this. */
export class NotAllowed extends DomainError {
  readonly kind = 'not-allowed';
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

/** Too many attempts in a row; the caller may try again after `retryAfterSeconds`. */
export class TooManyTries extends DomainError {
  readonly kind = 'too-many-tries';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/** It existed, and is no more. */
export class Gone extends DomainError {
  readonly kind = 'gone';
}

/**
 * A system the answer depends on is not answering (the ledger's replicas, say): nothing is
 * wrong with the request, and the caller may try again after `retryAfterSeconds`.
 */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/** A zod error as issues a caller can read: the field's path and what is wrong with it. */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}
