// An operator's search of every customer's bookings. Customers' emails are auth's: an email
// in the search is resolved to its account by auth's directory, and each booking found is
// shown with its customer's email and name asked of the same directory.
import type { Queryable } from '../../layers/core/db';
import type { Customer } from '../../layers/contracts/calls';
import type { CustomerDirectory } from './customer-directory';
import { searchBookings, type Booking, type BookingSearch } from './bookings';

export interface OperatorSearch extends Omit<BookingSearch, 'userIds'> {
  email?: string;
}

export async function operatorBookings(db: Queryable, directory: CustomerDirectory, q: OperatorSearch) {
  const { email, ...search } = q;
  const userIds = email === undefined ? undefined : (await directory.lookUp({ emails: [email] })).map((c) => c.userId);
  const found = await searchBookings(db, { ...search, userIds });
  const customers = new Map((await directory.lookUp({ userIds: [...new Set(found.items.map((b) => b.userId))] })).map((c) => [c.userId, c]));
  return {
    ...found,
    items: found.items.map((b): Booking & { customer: Omit<Customer, 'userId'> | null } => {
      const c = customers.get(b.userId);
      return { ...b, customer: c ? { email: c.email, name: c.name } : null };
    }),
  };
}
