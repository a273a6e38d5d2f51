// What auth tells people by mail, in one place.
import type { Mail } from './mailer';

export const passwordResetMail = (to: string, token: string, ttlSeconds: number): Mail => ({
  to,
  subject: 'Reset your cinema password',
  body: `Use this token to choose a new password within ${Math.round(ttlSeconds / 60)} minutes: ${token}`,
});

export const welcomeMail = (to: string, name: string): Mail => ({
  to,
  subject: 'Welcome to the cinema',
  body: `Hello ${name}, your cinema account is ready: sign in with this email address and the password you chose.`,
});

/** Registration with an address that has an account: its owner hears of it, the caller learns nothing. */
export const registrationAttemptMail = (to: string): Mail => ({
  to,
  subject: 'Someone tried to open an account with your email',
  body:
    'Someone tried to open a cinema account with this email address, which already has one. ' +
    'If it was you, sign in, or ask for a password reset if you forgot the password. If not, you need do nothing: your account is unchanged.',
});

/** Told to the old address, so that the owner of a stolen account hears of it. */
export const emailChangedMail = (oldAddress: string, newAddress: string): Mail => ({
  to: oldAddress,
  subject: "Your cinema account's email was changed",
  body: `The email address of your cinema account was changed from ${oldAddress} to ${newAddress}. If you did not do this, reply to this mail at once: someone else may have your account.`,
});
