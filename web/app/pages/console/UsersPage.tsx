// Accounts and their roles: an operator finds an account by email and gives it a role the
// server offers (customer, admin, and whatever roles the server adds).
import { useEffect, useState } from 'preact/hooks';
import { consoleApi, type AccountRow } from '../../../shared/api';
import { failed, tell, user } from '../../state';

export function UsersPage() {
  const [email, setEmail] = useState('');
  const [found, setFound] = useState<{ items: AccountRow[]; roles: string[] } | null>(null);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const search = (e?: Event) => {
    e?.preventDefault();
    consoleApi.users(email.trim() || undefined).then(setFound, failed);
  };
  useEffect(() => search(), []);
  const save = async (a: AccountRow) => {
    try {
      const { user: changed } = await consoleApi.setRole(a.id, (chosen[a.id] ?? a.role) as Parameters<typeof consoleApi.setRole>[1]); // one of the roles the server listed
      tell(`${changed.name} (${changed.email}) is now ${changed.role === 'admin' ? 'an admin' : `a ${changed.role}`}.`);
      search();
    } catch (err) {
      failed(err);
    }
  };
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form class="form inline" onSubmit={search} role="search">
        <label>
          Email starts with
          <input type="search" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Find</button>
      </form>
      {found && (
        <table class="lines">
          <caption>Accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {found.items.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>{a.email}</td>
                <td>
                  <select aria-label={`Role of ${a.email}`} value={chosen[a.id] ?? a.role} disabled={a.id === user.value?.id} onChange={(e) => setChosen({ ...chosen, [a.id]: (e.target as HTMLSelectElement).value })}>
                    {found.roles.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" class="secondary" aria-label={`Save the role of ${a.email}`} disabled={a.id === user.value?.id || (chosen[a.id] ?? a.role) === a.role} onClick={() => save(a)}>
                    Save
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {found && found.items.length === 0 && <p class="panel">No account found.</p>}
    </section>
  );
}
