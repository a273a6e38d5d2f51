// The customer web app: one page per route, the header, and what the customer is told.
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../shared/api';
import { MailboxPage, ResetConfirmPage, ResetRequestPage, SessionsPage, SignInPage, SignUpPage } from './pages/AccountPages';
import { CartPage } from './pages/CartPage';
import { CheckoutPage } from './pages/CheckoutPage';
import { HomePage } from './pages/HomePage';
import { PaymentPage } from './pages/PaymentPage';
import { ShowtimePage } from './pages/ShowtimePage';
import { BookingPage, BookingsPage } from './pages/BookingsPage';
import { ConsolePage } from './pages/console/ConsolePage';
import { ExplorerPage } from './pages/ExplorerPage';
import { PrintableTicketsPage } from './pages/TicketsPage';
import { DoorPage } from './pages/DoorPage';
import { completeProviderSignIn, endSession, go, heldSeatCount, notice, restoreSession, route, tell, user } from './state';
import './styles.css';

function Header() {
  const signOut = async () => {
    await api.logout().catch(() => undefined);
    endSession();
    tell('You are signed out.');
    go('#/');
  };
  const held = heldSeatCount.value;
  return (
    <header class="top">
      <a class="brand" href="#/">
        Cinema
      </a>
      <nav aria-label="Main">
        <a href="#/">What's on</a>
        <a href="#/cart">Cart{held ? ` (${held})` : ''}</a>
        <a href="#/bookings">My bookings</a>
        {user.value?.role === 'admin' && <a href="#/console">Console</a>}
        <a href="#/explorer">Ledger</a>
        {(user.value?.role === 'door' || user.value?.role === 'admin') && <a href="#/door">Door</a>}
        {user.value ? (
          <>
            <a href="#/account/sessions" class="who" aria-label={`${user.value.name}: your sessions`}>
              {user.value.name}
            </a>
            <button type="button" class="link" onClick={signOut}>
              Sign out
            </button>
          </>
        ) : (
          <>
            <a href="#/signin">Sign in</a>
            <a href="#/signup">Sign up</a>
          </>
        )}
      </nav>
    </header>
  );
}

function Notice() {
  const n = notice.value;
  return (
    <div class="notices">
      <div role="status" aria-live="polite" class={n?.kind === 'info' ? 'notice info' : 'visually-hidden'}>
        {n?.kind === 'info' ? n.text : ''}
      </div>
      <div role="alert" class={n?.kind === 'error' ? 'notice error' : 'visually-hidden'}>
        {n?.kind === 'error' ? n.text : ''}
      </div>
    </div>
  );
}

function Page() {
  const r = route.value;
  switch (r.page) {
    case 'home':
      return <HomePage day={r.day} />;
    case 'showtime':
      return <ShowtimePage key={r.id} id={r.id} />;
    case 'cart':
      return <CartPage />;
    case 'checkout':
      return <CheckoutPage paymentId={r.paymentId} />;
    case 'payment':
      return <PaymentPage id={r.id} />;
    case 'bookings':
      return <BookingsPage />;
    case 'booking':
      return <BookingPage key={r.id} id={r.id} />;
    case 'tickets':
      return <PrintableTicketsPage key={r.id} id={r.id} />;
    case 'door':
      return <DoorPage key={r.showtimeId ?? ''} showtimeId={r.showtimeId} />;
    case 'signin':
      return <SignInPage next={r.next} />;
    case 'signup':
      return <SignUpPage next={r.next} />;
    case 'reset':
      return <ResetRequestPage />;
    case 'reset-confirm':
      return <ResetConfirmPage token={r.token} />;
    case 'mailbox':
      return <MailboxPage to={r.to} />;
    case 'sessions':
      return <SessionsPage />;
    case 'console':
      return <ConsolePage route={r} />;
    case 'explorer':
      return <ExplorerPage />;
    default:
      return (
        <section>
          <h1>Page not found</h1>
          <p>
            <a href="#/">See what's on</a>
          </p>
        </section>
      );
  }
}

function App() {
  const main = useRef<HTMLElement>(null);
  // a new page: its heading is where a screen reader starts
  useEffect(() => main.current?.querySelector('h1')?.setAttribute('tabindex', '-1'), [route.value]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <Header />
      <Notice />
      <main id="main" ref={main} tabIndex={-1}>
        <Page />
      </main>
    </>
  );
}

void completeProviderSignIn()
  .then(() => (user.value ? undefined : restoreSession()))
  .finally(() => render(<App />, document.getElementById('root')!));
