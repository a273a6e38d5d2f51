// Halls, and the layout editor: rows and seats, gaps and aisles, categories with prices,
// accessible seats and the focal point best-available seats are chosen around; the customer's
// own seat map previews the hall as it is drawn.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { consoleApi, money, type Hall, type LayoutInput, type SeatLayout } from '../../../shared/api';
import { SeatMap } from '../../components/SeatMap';
import { failed, go, tell } from '../../state';

export function HallsPage() {
  const [halls, setHalls] = useState<Hall[] | null>(null);
  const load = () => consoleApi.halls().then((h) => setHalls(h.items), failed);
  useEffect(() => void load(), []);
  const archive = async (h: Hall) => {
    try {
      await consoleApi.archiveHall(h.id);
      tell(`${h.name} is archived.`);
      await load();
    } catch (err) {
      failed(err);
    }
  };
  return (
    <section aria-labelledby="halls-title">
      <h1 id="halls-title">Halls</h1>
      <p>
        <a class="button" href="#/console/halls/new">
          New hall
        </a>
      </p>
      {!halls && <p aria-busy="true">Loading the halls…</p>}
      {halls && (
        <table class="lines">
          <caption>The halls</caption>
          <thead>
            <tr>
              <th scope="col">Hall</th>
              <th scope="col" class="num">
                Seats
              </th>
              <th scope="col">Categories</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {halls.map((h) => (
              <tr key={h.id}>
                <td>{h.name}</td>
                <td class="num">{h.seatCount}</td>
                <td>{Object.entries(h.categories).map(([name, price]) => `${name} ${money(price, 'EUR')}`).join(', ')}</td>
                <td>
                  <button type="button" class="danger" aria-label={`Archive ${h.name}`} onClick={() => archive(h)}>
                    Archive
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Cell = { category: string; accessible: boolean } | null;
interface Category {
  name: string;
  price: string;
}
const GAP = '(gap or aisle)';
const ACCESSIBLE = '(wheelchair space on or off)';
const rowLabel = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(65 + Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));
const cents = (price: string) => Math.round(Number(price.replace(',', '.')) * 100);

/** The layout as the API takes it. */
export function layoutInput(categories: Category[], grid: Cell[][], focal: { row: string; column: string }): LayoutInput {
  return {
    categories: Object.fromEntries(categories.map((c) => [c.name, cents(c.price)])),
    rows: grid.map((cells, r) => ({ label: rowLabel(r), seats: cells.map((c) => (c === null ? null : c.accessible ? { category: c.category, accessible: true } : c.category)) })),
    ...(focal.row ? { focalPoint: { row: focal.row, ...(focal.column ? { column: Number(focal.column) } : {}) } } : {}),
  };
}

/** The same layout as the customer's seat map draws it (seats numbered along the row, gaps not counted). */
function preview(layout: LayoutInput): SeatLayout {
  return {
    width: Math.max(...layout.rows.map((r) => r.seats.length)),
    categories: Object.entries(layout.categories).map(([name, price]) => ({ name, price })),
    rows: layout.rows.map((row) => {
      let n = 0;
      return {
        label: row.label,
        cells: row.seats.map((c) => {
          if (c === null) return null;
          const category = typeof c === 'string' ? c : c.category;
          n++;
          return { seatId: `${row.label}${n}`, number: n, category, accessible: typeof c !== 'string' && !!c.accessible, price: layout.categories[category] ?? 0 };
        }),
      };
    }),
  };
}

export function NewHallPage() {
  const [name, setName] = useState('');
  const [categories, setCategories] = useState<Category[]>([{ name: 'standard', price: '10.00' }]);
  const [size, setSize] = useState({ rows: 6, width: 12 });
  const [grid, setGrid] = useState<Cell[][]>(() => Array.from({ length: 6 }, () => Array.from({ length: 12 }, () => ({ category: 'standard', accessible: false }))));
  const [brush, setBrush] = useState('standard');
  const [aisle, setAisle] = useState('');
  const [focal, setFocal] = useState({ row: '', column: '' });

  const resize = (rows: number, width: number) => {
    if (!(rows >= 1 && rows <= 60 && width >= 1 && width <= 100)) return;
    setSize({ rows, width });
    setGrid((g) => Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, c) => (g[r] && c < g[r].length ? g[r][c] : { category: categories[0]?.name ?? 'standard', accessible: false }))));
  };
  const paint = (r: number, c: number) =>
    setGrid((g) =>
      g.map((row, i) =>
        i !== r
          ? row
          : row.map((cell, j) => {
              if (j !== c) return cell;
              if (brush === GAP) return null;
              if (brush === ACCESSIBLE) return cell ? { ...cell, accessible: !cell.accessible } : cell;
              return { category: brush, accessible: cell?.accessible ?? false };
            }),
      ),
    );
  const paintRow = (r: number, category: string) => setGrid((g) => g.map((row, i) => (i !== r ? row : row.map((cell) => (cell ? { ...cell, category } : cell)))));
  const makeAisle = () => {
    const c = Number(aisle) - 1;
    if (c >= 0 && c < size.width) setGrid((g) => g.map((row) => row.map((cell, j) => (j === c ? null : cell))));
  };

  const layout = useMemo(() => layoutInput(categories, grid, focal), [categories, grid, focal]);
  const seatMap = useMemo(() => preview(layout), [layout]);
  const seats = seatMap.rows.reduce((n, r) => n + r.cells.filter(Boolean).length, 0);

  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const { hall } = await consoleApi.createHall(name, layout);
      tell(`${hall.name} is built: ${hall.seatCount} seats.`);
      go('#/console/halls');
    } catch (err) {
      failed(err);
    }
  };

  return (
    <section aria-labelledby="new-hall-title">
      <h1 id="new-hall-title">New hall</h1>
      <form class="hall-editor" onSubmit={save}>
        <div class="panel form">
          <label>
            Hall name
            <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <fieldset>
            <legend>Seat categories and prices (€)</legend>
            {categories.map((cat, i) => (
              <div class="category-row" key={i}>
                <label>
                  Category {i + 1} name
                  <input
                    value={cat.name}
                    pattern="[a-z][a-z0-9\-]{0,29}"
                    onInput={(e) => {
                      const next = (e.target as HTMLInputElement).value;
                      setGrid((g) => g.map((row) => row.map((cell) => (cell && cell.category === cat.name ? { ...cell, category: next } : cell))));
                      if (brush === cat.name) setBrush(next);
                      setCategories(categories.map((c, j) => (j === i ? { ...c, name: next } : c)));
                    }}
                  />
                </label>
                <label>
                  Category {i + 1} price
                  <input inputMode="decimal" value={cat.price} onInput={(e) => setCategories(categories.map((c, j) => (j === i ? { ...c, price: (e.target as HTMLInputElement).value } : c)))} />
                </label>
              </div>
            ))}
            <button type="button" class="secondary" onClick={() => setCategories([...categories, { name: `category-${categories.length + 1}`, price: '12.00' }])}>
              Add a category
            </button>
          </fieldset>
          <fieldset>
            <legend>Size</legend>
            <label>
              Rows
              <input type="number" min={1} max={60} value={size.rows} onChange={(e) => resize(Number((e.target as HTMLInputElement).value), size.width)} />
            </label>
            <label>
              Places per row
              <input type="number" min={1} max={100} value={size.width} onChange={(e) => resize(size.rows, Number((e.target as HTMLInputElement).value))} />
            </label>
            <label>
              Aisle at place
              <input type="number" min={1} max={size.width} value={aisle} onInput={(e) => setAisle((e.target as HTMLInputElement).value)} />
            </label>
            <button type="button" class="secondary" onClick={makeAisle}>
              Make an aisle
            </button>
          </fieldset>
          <fieldset>
            <legend>Rows' categories</legend>
            {grid.map((_, r) => (
              <label key={r}>
                Row {rowLabel(r)} seats
                <select onChange={(e) => paintRow(r, (e.target as HTMLSelectElement).value)} value="">
                  <option value="">(choose to set the whole row)</option>
                  {categories.map((c) => (
                    <option key={c.name} value={c.name}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Focal point (where the best view is)</legend>
            <label>
              Focal row
              <select value={focal.row} onChange={(e) => setFocal({ ...focal, row: (e.target as HTMLSelectElement).value })}>
                <option value="">centre of the first row</option>
                {grid.map((_, r) => (
                  <option key={r} value={rowLabel(r)}>
                    {rowLabel(r)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Focal place (empty: the row's centre)
              <input type="number" min={1} max={size.width} step={0.5} value={focal.column} onInput={(e) => setFocal({ ...focal, column: (e.target as HTMLInputElement).value })} />
            </label>
          </fieldset>
        </div>
        <div class="panel">
          <h2>Layout</h2>
          <fieldset class="brushes">
            <legend>Clicking a place makes it</legend>
            {[...categories.map((c) => c.name), GAP, ACCESSIBLE].map((b) => (
              <label key={b}>
                <input type="radio" name="brush" checked={brush === b} onChange={() => setBrush(b)} /> {b}
              </label>
            ))}
          </fieldset>
          <div class="layout-grid" role="grid" aria-label="Layout: each place of each row">
            {grid.map((row, r) => (
              <div role="row" key={r}>
                <span role="rowheader" class="row-label-cell">
                  {rowLabel(r)}
                </span>
                {row.map((cell, c) => (
                  <span role="gridcell" key={c}>
                    <button
                      type="button"
                      class={`place ${cell ? `cat-${Math.max(0, categories.findIndex((k) => k.name === cell.category)) % 6}` : 'gap'}${cell?.accessible ? ' accessible' : ''}`}
                      aria-label={`Row ${rowLabel(r)}, place ${c + 1}: ${cell ? `${cell.category}${cell.accessible ? ', wheelchair space' : ''}` : 'gap'}`}
                      onClick={() => paint(r, c)}
                    >
                      {cell ? (cell.accessible ? '♿' : '') : '·'}
                    </button>
                  </span>
                ))}
              </div>
            ))}
          </div>
          <h2>What customers will see</h2>
          <p class="muted">
            {seats} seats · {categories.map((c) => `${c.name} ${money(cents(c.price) || 0, 'EUR')}`).join(' · ')}
          </p>
          <p class="small muted">
            Best-available seats are chosen nearest {focal.row ? `row ${focal.row}, ${focal.column ? `place ${focal.column}` : 'its centre'}` : 'the centre of row A (no focal point set)'}.
          </p>
          <div aria-label="Preview of the customer's seat map" role="region">
            <SeatMap layout={seatMap} currency="EUR" statuses={new Map()} busy={new Set()} onPick={() => undefined} />
          </div>
        </div>
        <div class="actions">
          <button type="submit">Build the hall</button>
        </div>
      </form>
    </section>
  );
}
