// What the API refused, in words a customer understands. The server's messages are meant for
// people already; these add what to do next where the code alone says it.
import { ApiError } from '../shared/api';

export function say(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Something went wrong in this page. Please reload it.';
  const seats: string[] | undefined = err.details?.takenSeats;
  switch (err.status) {
    case 0:
      return err.message;
    case 401:
      return err.code === 'unauthorized' && /wrong/i.test(err.message) ? 'That email and password do not match an account.' : 'Please sign in again: your session has ended.';
    case 403:
      return 'Your account is not allowed to do that.';
    case 404:
      return `We could not find that: ${err.message.replace(/ not found$/, '').toLowerCase()} does not exist (any more).`;
    case 409:
      if (err.details?.strandedSeats?.length) {
        const alone: string[] = err.details.strandedSeats;
        return `Please don't leave ${alone.length > 1 ? `seats ${alone.join(' and ')}` : `seat ${alone[0]}`} on its own: this showtime keeps no single seats empty. ${err.details.suggestedSeats.length > 1 ? 'Seats' : 'Seat'} ${err.details.suggestedSeats.join(', ')} would work.`;
      }
      if (typeof err.details?.seatsLeft === 'number') {
        const left: number = err.details.seatsLeft;
        return left === 0 ? 'Sorry, there are no seats of that kind left for this showtime.' : `Sorry, only ${left} seat${left === 1 ? ' is' : 's are'} of that kind left for this showtime. Ask for ${left === 1 ? 'one' : left} or fewer.`;
      }
      if (typeof err.details?.maxHeldSeats === 'number') return `You can hold up to ${err.details.maxHeldSeats} seats for one showtime, and you already hold ${err.details.heldSeats}. Check out or release some first.`;
      if (seats?.length) return `Sorry, ${seats.length > 1 ? `seats ${seats.join(', ')} were` : `seat ${seats[0]} was`} just taken by someone else. The map now shows who has what.`;
      if (/already exists|taken/i.test(err.message) && /email|account/i.test(err.message)) return 'An account with this email already exists. Sign in instead, or reset the password.';
      return `${err.message}.`.replace(/\.\.$/, '.');
    case 413:
    case 415:
      return 'The page sent something the cinema could not read. Please reload and try again.';
    case 429:
      return `Too many attempts. Please wait ${err.details?.retryAfterSeconds ?? 'a few'} seconds and try again.`;
    default:
      if (err.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
      return friendlyValidation(err);
  }
}

/** 400/422: the server names each field and its problem; say it without the JSON paths. */
function friendlyValidation(err: ApiError): string {
  const details: { path: string; message: string }[] | undefined = Array.isArray(err.details) ? err.details : undefined;
  if (details?.length) return details.map((d) => `${label(d.path)}: ${d.message}`).join('. ') + '.';
  return err.message.endsWith('.') ? err.message : `${err.message}.`;
}

const label = (path: string) => ({ email: 'Email', password: 'Password', newPassword: 'New password', name: 'Name', token: 'Reset token', count: 'Number of seats', category: 'Seat type' } as Record<string, string>)[path] ?? path;
