// Who an operator makes an account: the roles the console offers, and the change itself.
import type { Queryable } from '../../layers/core/db';
import { Conflict, NotFound } from '../../layers/core/errors';
import { ROLES as EVERY_ROLE, type Role } from '../../layers/core/jwt';
import { toUser, type User } from './users';

/** Every role an operator can give: customer, admin and door (a new role is added in layers/core/jwt.ts and in the users table's check). */
export const ROLES: readonly Role[] = EVERY_ROLE;

/** Accounts whose email starts with `email` (any case), or the newest ones; at most 50. */
export async function findAccounts(db: Queryable, email: string | undefined): Promise<User[]> {
  const { rows } = email
    ? await db.query(`SELECT * FROM users WHERE lower(email) LIKE $1 ORDER BY lower(email) LIMIT 50`, [email.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + '%'])
    : await db.query(`SELECT * FROM users ORDER BY created_at DESC, id LIMIT 50`);
  return rows.map(toUser);
}

/** The operator gives an account a role; it takes effect on the account's next request (the authorizer reads it). */
export async function setRole(db: Queryable, operatorId: string, userId: string, role: Role): Promise<User> {
  // an operator cannot take their own admin role away: the cinema would be left with no way back in
  if (userId === operatorId && role !== 'admin') throw new Conflict('You cannot take away your own admin role; ask another operator');
  const { rows } = await db.query(`UPDATE users SET role = $2 WHERE id = $1 RETURNING *`, [userId, role]);
  if (!rows[0]) throw new NotFound('Account');
  return toUser(rows[0]);
}
