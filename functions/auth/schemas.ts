import { z } from 'zod';

export const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(254));
// Bounded above so that a huge "password" cannot make scrypt a denial of service.
export const password = z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters');
export const personName = z.string().trim().min(1, 'must not be empty').max(100);
export const currentPassword = z.string().min(1, 'must not be empty').max(200);
/** What a device that signed in before sends back (devices.ts). */
export const deviceToken = z.string().min(20, 'is not a device token').max(100, 'is not a device token');
