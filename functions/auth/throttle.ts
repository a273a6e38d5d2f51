// Slows down password guessing: after a few failures an account (or a client address) is
// locked for a time that doubles with each further failure, up to a cap.

export interface ThrottleRule {
  freeFailures: number;
  windowSeconds: number;
  maxLockSeconds: number;
}

export const ACCOUNT_RULE: ThrottleRule = { freeFailures: 5, windowSeconds: 15 * 60, maxLockSeconds: 15 * 60 };
export const CLIENT_RULE: ThrottleRule = { freeFailures: 20, windowSeconds: 15 * 60, maxLockSeconds: 15 * 60 };

/** Seconds to lock after `failures` failures in the window (0 = not locked). */
export function lockSeconds(rule: ThrottleRule, failures: number): number {
  if (failures < rule.freeFailures) return 0;
  return Math.min(rule.maxLockSeconds, 2 ** (failures - rule.freeFailures));
}
