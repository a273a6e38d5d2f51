// A showtime's seat map: the layout once, availability every second (a 304 while nothing
// changed), a click or Enter holds or releases a seat on the server, and the server says
// what it cost and how long it is held.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, money, type Availability, type SeatLayout, type Showtime } from '../../shared/api';
import { SeatMap, STATUS_WORDS, categoryClass, statusesOf, type SeatStatus } from '../components/SeatMap';
import { Countdown } from '../components/Countdown';
import { cart, clockOffsetMs, failed, go, refreshCart, serverNow, signedIn, tell, warn } from '../state';
import { say } from '../errors';
import { when } from '../format';

const POLL_MS = 1000;

/** Availability, kept current: polled with its ETag while the page is visible. */
function useAvailability(showtimeId: string) {
  const [availability, setAvailability] = useState<Availability | null>(null);
  const etag = useRef<string | undefined>(undefined);
  const refresh = useRef<() => Promise<Availability | null>>(async () => null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latest: Availability | null = null;
    const read = async () => {
      const sent = Date.now();
      const next = await api.availability(showtimeId, etag.current);
      if (next && !stopped) {
        // the server's clock, so that countdowns agree with its expiries
        clockOffsetMs.value = Date.parse(next.asOf) - (sent + Date.now()) / 2;
        etag.current = `"${next.version}"`;
        latest = next;
        setAvailability(next);
      }
      return latest;
    };
    const loop = async () => {
      if (stopped) return;
      if (document.visibilityState === 'visible') await read().catch(() => undefined);
      if (!stopped) timer = setTimeout(loop, POLL_MS);
    };
    refresh.current = read;
    void loop();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [showtimeId, signedIn.value]);
  return { availability, refresh: () => refresh.current() };
}

export function ShowtimePage({ id }: { id: string }) {
  const [data, setData] = useState<{ showtime: Showtime; layout: SeatLayout } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const { availability, refresh } = useAvailability(id);

  useEffect(() => {
    api.layout(id).then(setData, (err) => setError(say(err)));
  }, [id]);

  const statuses = useMemo(() => statusesOf(availability), [availability]);
  const mine = availability?.mine ?? [];
  const earliest = mine.reduce<string | undefined>((m, s) => (!m || s.expiresAt < m ? s.expiresAt : m), undefined);
  const myCart = cart.value?.showtimes.find((s) => s.showtimeId === id);
  const mineKey = mine.map((m) => m.seatId).join(',');
  // holds that changed on the server (expired, renewed elsewhere) change the cart too
  useEffect(() => void refreshCart(), [mineKey]);
  // Holds that ran out are said in words, however the page learnt of it: its own countdown
  // reaching zero, or the map showing the seats free again first (a busy tab, a clock ahead).
  const heldBefore = useRef(new Map<string, string>());
  // seats released from this page (until held again): gone from the map, but not run out
  const releasing = useRef(new Set<string>());
  useEffect(() => {
    const before = heldBefore.current;
    heldBefore.current = new Map(mine.map((m) => [m.seatId, m.expiresAt]));
    const ranOut = [...before].filter(
      ([seatId, expiresAt]) => !heldBefore.current.has(seatId) && !releasing.current.has(seatId) && statuses.get(seatId) !== 'sold' && Date.parse(expiresAt) <= serverNow() + 5_000,
    );
    if (ranOut.length > 0) warn('Your hold ran out, and the seats are back on sale. Pick them again if they are still free.');
  }, [mineKey]);

  if (error) return <p class="panel error-text">{error}</p>;
  if (!data) return <p aria-busy="true">Loading the seat map…</p>;
  const { showtime, layout } = data;
  const seatOf = (seatId: string) => layout.rows.flatMap((r) => r.cells).find((c) => c?.seatId === seatId);

  const pick = async (seatId: string) => {
    const status: SeatStatus = statuses.get(seatId) ?? 'available';
    if (!signedIn.value) {
      warn('Please sign in to pick seats.');
      go(`#/signin?next=${encodeURIComponent(`#/showtimes/${id}`)}`);
      return;
    }
    if (busy.has(seatId)) return;
    setBusy(new Set(busy).add(seatId));
    try {
      if (status === 'mine') {
        releasing.current.add(seatId);
        await api.release(id, seatId);
        tell(`Seat ${seatId} released.`);
      } else {
        const { cart: next } = await api.hold(id, [seatId]);
        releasing.current.delete(seatId);
        cart.value = next;
        tell(`Seat ${seatId} is held for you.`);
      }
    } catch (err) {
      // a seat taken meanwhile: the map refreshes at once and the notice says which
      if (err instanceof ApiError && err.status === 409) {
        const now = await refresh().catch(() => null);
        const seen = statusesOf(now).get(seatId);
        warn(seen === 'sold' ? `Sorry, seat ${seatId} is sold.` : seen === 'blocked' ? `Seat ${seatId} is not for sale.` : say(err));
      } else failed(err);
    } finally {
      setBusy((b) => {
        const n = new Set(b);
        n.delete(seatId);
        return n;
      });
      await Promise.all([refresh().catch(() => null), refreshCart()]);
    }
  };

  const renew = async () => {
    try {
      cart.value = (await api.renew()).cart;
      await refresh();
      tell('Your hold is renewed.');
    } catch (err) {
      failed(err);
    }
  };

  // the countdown reached zero: the map and the cart are read again, and the seats gone from
  // them are what tells the customer (above)
  const expired = async () => {
    await Promise.all([refresh().catch(() => null), refreshCart()]);
  };

  const counts = { available: 0, held: 0, mine: 0, sold: 0, blocked: 0 } as Record<SeatStatus, number>;
  for (const row of layout.rows) for (const c of row.cells) if (c) counts[statuses.get(c.seatId) ?? 'available']++;

  return (
    <section aria-labelledby="showtime-title">
      <p class="crumbs">
        <a href="#/">← All showtimes</a>
      </p>
      <h1 id="showtime-title">{showtime.movieTitle}</h1>
      <p class="muted">
        {showtime.hallName} · {when(showtime.startsAt)}
      </p>
      {availability && !availability.bookable && <p class="panel error-text">This showtime can no longer be booked.</p>}

      <div class="showtime-layout">
        <div class="map-panel panel">
          <h2 class="visually-hidden">Seats</h2>
          <ul class="legend" aria-label="Prices">
            {layout.categories.map((c) => (
              <li key={c.name}>
                <span class={`swatch ${categoryClass(layout, c.name)}`} aria-hidden="true" /> {c.name} {money(c.price, showtime.currency)}
              </li>
            ))}
            <li>
              <span class="swatch accessible-swatch" aria-hidden="true">♿</span> wheelchair accessible
            </li>
          </ul>
          {availability ? (
            <SeatMap layout={layout} currency={showtime.currency} statuses={statuses} busy={busy} onPick={pick} />
          ) : (
            <p aria-busy="true">Loading who has which seat…</p>
          )}
          <ul class="legend statuses" aria-label="Seat statuses" data-ready={availability ? 'true' : 'false'}>
            {(Object.keys(STATUS_WORDS) as SeatStatus[]).map((s) => (
              <li key={s}>
                <svg class={`seat ${s} cat-0`} width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
                  <rect x="1" y="1" width="16" height="16" rx="4" />
                </svg>{' '}
                {STATUS_WORDS[s]} ({counts[s]})
              </li>
            ))}
          </ul>
        </div>

        <aside class="panel selection" aria-labelledby="your-seats">
          <h2 id="your-seats">Your seats</h2>
          {!signedIn.value && (
            <p>
              <a href={`#/signin?next=${encodeURIComponent(`#/showtimes/${id}`)}`}>Sign in</a> to pick seats.
            </p>
          )}
          {signedIn.value && mine.length === 0 && <p class="muted">Pick a free seat on the map: it is held for you while you pay.</p>}
          {mine.length > 0 && (
            <>
              <ul class="chosen">
                {mine.map((m) => {
                  const seat = seatOf(m.seatId);
                  const priced = myCart?.seats.find((s) => s.seatId === m.seatId);
                  return (
                    <li key={m.seatId}>
                      <span>
                        Seat {m.seatId} · {seat?.category}
                      </span>
                      <span>{priced ? money(priced.price, showtime.currency) : '…'}</span>
                    </li>
                  );
                })}
              </ul>
              {myCart && (
                <p class="total">
                  Total <strong>{money(myCart.subtotal, myCart.currency)}</strong>
                </p>
              )}
              {earliest && (
                <p>
                  <Countdown key={earliest} expiresAt={earliest} onExpired={expired} />
                </p>
              )}
              <div class="actions">
                <button type="button" class="secondary" onClick={renew}>
                  Renew hold
                </button>
                <a class="button" href="#/cart">
                  Go to cart
                </a>
              </div>
            </>
          )}
        </aside>
      </div>
    </section>
  );
}
