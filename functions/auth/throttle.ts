// Slows down password guessing: after a few failures an account (or a client address, or a
// trusted device) is locked for a time that doubles with each further failure, up to a cap.
// And limits how often something may be asked for in a window (reset mails).

export interface ThrottleRule {
  freeFailures: number;
  windowSeconds: number;
  maxLockSeconds: number;
}

/** Failures from devices the account does not know: the lock they cause holds those devices only. */
export const ACCOUNT_RULE: ThrottleRule = { freeFailures: 5, windowSeconds: 15 * 60, maxLockSeconds: 15 * 60 };
export const CLIENT_RULE: ThrottleRule = { freeFailures: 20, windowSeconds: 15 * 60, maxLockSeconds: 15 * 60 };
/** Failures from one device that signed in to the account before: they lock that device alone. */
export const DEVICE_RULE: ThrottleRule = { freeFailures: 5, windowSeconds: 15 * 60, maxLockSeconds: 15 * 60 };
/** Wrong current passwords given by one session (a stolen token must not become a guessing oracle). */
export const REAUTH_RULE: ThrottleRule = { freeFailures: 5, windowSeconds: 15 * 60, maxLockSeconds: 15 * 60 };

/** Seconds to lock after `failures` failures in the window (0 = not locked). */
export function lockSeconds(rule: ThrottleRule, failures: number): number {
  if (failures < rule.freeFailures) return 0;
  return Math.min(rule.maxLockSeconds, 2 ** (failures - rule.freeFailures));
}

export interface RequestLimit {
  /** Requests allowed in one window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Reset mails to one address: a few per window, counted whether or not it has an account.
 * Each new mail voids the one before, so a flood of requests leaves the owner one live token.
 */
export const RESET_ADDRESS_LIMIT: RequestLimit = { limit: 3, windowSeconds: 15 * 60 };
/** Reset requests from one client address, for any addresses. */
export const RESET_CLIENT_LIMIT: RequestLimit = { limit: 10, windowSeconds: 15 * 60 };

/** Whether the `count`th request of a window is over the limit. */
export const overLimit = (rule: RequestLimit, count: number): boolean => count > rule.limit;
