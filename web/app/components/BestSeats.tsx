// "Hold the best seats": how many (and which kind), and the server picks them — adjacent in
// one row nearest the screen's best view when it can. The page only says what it took.
import { useState } from 'preact/hooks';
import { api, money, type Cart, type SeatLayout } from '../../shared/api';
import { failed, tell } from '../state';

interface Props {
  showtimeId: string;
  layout: SeatLayout;
  currency: string;
  /** the cart after the hold, and when the map should be read again */
  onHeld(cart: Cart): Promise<void> | void;
}

export function BestSeats({ showtimeId, layout, currency, onHeld }: Props) {
  const [working, setWorking] = useState(false);
  const [taken, setTaken] = useState<{ seats: string[]; together: boolean } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const count = Number((form.elements.namedItem('count') as HTMLInputElement).value);
    const category = (form.elements.namedItem('category') as HTMLSelectElement).value || undefined;
    setWorking(true);
    try {
      const { cart, held } = await api.holdBest(showtimeId, count, category);
      setTaken(held);
      tell(`${saySeats(held.seats)} ${held.seats.length > 1 ? 'are' : 'is'} held for you${held.together ? (held.seats.length > 1 ? ', side by side' : '') : '. They are not side by side: no row has that many free seats together'}.`);
      await onHeld(cart);
    } catch (err) {
      failed(err);
    } finally {
      setWorking(false);
    }
  };
  return (
    <form class="best-seats form" onSubmit={submit} aria-labelledby="best-seats-title">
      <h3 id="best-seats-title">Best available</h3>
      <div class="best-fields">
        <label>
          Number of seats
          <input name="count" type="number" inputMode="numeric" min={1} max={10} step={1} defaultValue="2" required />
        </label>
        {layout.categories.length > 1 && (
          <label>
            Seat type
            <select name="category">
              <option value="">Any</option>
              {layout.categories.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({money(c.price, currency)})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <button type="submit" disabled={working}>
        {working ? 'Finding seats…' : 'Hold the best seats'}
      </button>
      {taken && (
        <p class="small">
          Last picked for you: {taken.seats.join(', ')}
          {taken.together ? (taken.seats.length > 1 ? ' (side by side)' : '') : ' (not side by side)'}
        </p>
      )}
    </form>
  );
}

const saySeats = (seats: string[]) => (seats.length === 1 ? `Seat ${seats[0]}` : `Seats ${seats.slice(0, -1).join(', ')} and ${seats[seats.length - 1]}`);
