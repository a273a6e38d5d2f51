// The operator's console: one page per section, for admins only. Everything it shows is the
// server's (figures, refusals); it only lays them out.
import type { Route } from '../../router';
import { user } from '../../state';
import { DashboardPage } from './DashboardPage';
import { MoviesPage } from './MoviesPage';
import { HallsPage, NewHallPage } from './HallsPage';
import { BlockedSeatsPage, ShowtimesPage } from './ShowtimesPage';
import { UsersPage } from './UsersPage';

const SECTIONS = [
  { href: '#/console', name: 'Dashboard', section: 'dashboard' },
  { href: '#/console/movies', name: 'Movies', section: 'movies' },
  { href: '#/console/halls', name: 'Halls', section: 'halls' },
  { href: '#/console/showtimes', name: 'Showtimes', section: 'showtimes' },
  { href: '#/console/users', name: 'Users', section: 'users' },
] as const;

export function ConsolePage({ route }: { route: Extract<Route, { page: 'console' }> }) {
  if (!user.value)
    return (
      <section>
        <h1>Operator's console</h1>
        <p class="panel">
          Please <a href={`#/signin?next=${encodeURIComponent(location.hash)}`}>sign in</a> with an operator's account.
        </p>
      </section>
    );
  if (user.value.role !== 'admin')
    return (
      <section>
        <h1>Operator's console</h1>
        <p class="panel">This part of the site is for the cinema's operators. Your account is a customer's.</p>
      </section>
    );
  const current = route.section === 'new-hall' ? 'halls' : route.section === 'blocked-seats' ? 'showtimes' : route.section;
  return (
    <div class="console">
      <nav aria-label="Console" class="console-nav">
        {SECTIONS.map((s) => (
          <a key={s.section} href={s.href} aria-current={s.section === current ? 'page' : undefined}>
            {s.name}
          </a>
        ))}
      </nav>
      <Section route={route} />
    </div>
  );
}

function Section({ route }: { route: Extract<Route, { page: 'console' }> }) {
  switch (route.section) {
    case 'dashboard':
      return <DashboardPage day={route.day} />;
    case 'movies':
      return <MoviesPage />;
    case 'halls':
      return <HallsPage />;
    case 'new-hall':
      return <NewHallPage />;
    case 'showtimes':
      return <ShowtimesPage day={route.day} />;
    case 'blocked-seats':
      return <BlockedSeatsPage key={route.id} id={route.id!} />;
    case 'users':
      return <UsersPage />;
  }
}
