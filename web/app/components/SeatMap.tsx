// The seat map as SVG: one focusable control per seat, labelled with its row, number,
// category, price and status. Arrow keys move between seats (one tab stop for the whole
// map), Enter or Space picks. Statuses are the server's; this only draws them.
import { useMemo, useRef, useState } from 'preact/hooks';
import { money, type Availability, type LayoutSeat, type SeatLayout } from '../../shared/api';

export type SeatStatus = 'available' | 'held' | 'mine' | 'sold' | 'blocked';

export const STATUS_WORDS: Record<SeatStatus, string> = { available: 'available', held: 'held by someone else', mine: 'held by you', sold: 'sold', blocked: 'not for sale' };

export function statusesOf(availability: Availability | null): Map<string, SeatStatus> {
  const m = new Map<string, SeatStatus>();
  if (!availability) return m;
  for (const s of availability.held) m.set(s, 'held');
  for (const s of availability.sold) m.set(s, 'sold');
  for (const s of availability.blocked) m.set(s, 'blocked');
  for (const s of availability.mine) m.set(s.seatId, 'mine');
  return m;
}

export const categoryClass = (layout: SeatLayout, category: string) => `cat-${Math.max(0, layout.categories.findIndex((c) => c.name === category)) % 6}`;

export function seatLabel(row: string, seat: LayoutSeat, currency: string, status: SeatStatus): string {
  return `Row ${row}, seat ${seat.number}, ${seat.category}${seat.accessible ? ', wheelchair accessible' : ''}, ${money(seat.price, currency)}, ${STATUS_WORDS[status]}`;
}

const CELL = 30;
const SEAT = 24;
const LABEL = 28;
const TOP = 46;

interface Props {
  layout: SeatLayout;
  currency: string;
  statuses: Map<string, SeatStatus>;
  busy: Set<string>;
  onPick(seatId: string): void;
}

export function SeatMap({ layout, currency, statuses, busy, onPick }: Props) {
  // where each seat is on the grid, for moving with the arrow keys
  const grid = useMemo(() => layout.rows.map((r) => r.cells.map((c) => c?.seatId ?? null)), [layout]);
  const first = useMemo(() => grid.flat().find((s) => s) ?? null, [grid]);
  const [focused, setFocused] = useState<string | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const current = focused ?? first;

  // focus moves at once, not on the next render, so that keys pressed quickly land where they should
  const focusSeat = (seatId: string) => {
    setFocused(seatId);
    (svg.current?.querySelector(`[data-seat="${seatId}"]`) as SVGGElement | null)?.focus();
  };

  const move = (from: string, dRow: number, dCol: number): string | null => {
    let r = grid.findIndex((row) => row.includes(from));
    let c = grid[r].indexOf(from);
    if (dCol !== 0) {
      for (c += dCol; c >= 0 && c < layout.width; c += dCol) if (grid[r][c]) return grid[r][c];
      return null;
    }
    // up and down: the nearest seat of the next row that has one near this column
    for (r += dRow; r >= 0 && r < grid.length; r += dRow) {
      for (let d = 0; d < layout.width; d++) {
        for (const cc of [c - d, c + d]) if (cc >= 0 && cc < layout.width && grid[r][cc]) return grid[r][cc];
      }
    }
    return null;
  };

  const onKeyDown = (seatId: string) => (e: KeyboardEvent) => {
    const keys: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (e.key in keys) {
      e.preventDefault();
      const next = move(seatId, ...keys[e.key]);
      if (next) focusSeat(next);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const row = grid.find((r) => r.includes(seatId))!.filter(Boolean) as string[];
      focusSeat(e.key === 'Home' ? row[0] : row[row.length - 1]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onPick(seatId);
    }
  };

  const width = LABEL * 2 + layout.width * CELL;
  const height = TOP + layout.rows.length * CELL + 8;
  return (
    <div class="seatmap-scroll">
      <svg
        ref={svg}
        class="seatmap"
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="group"
        aria-label="Seat map: use the arrow keys to move between seats, Enter to pick one"
      >
        <path class="screen" d={`M ${LABEL + CELL} 22 Q ${width / 2} 6 ${width - LABEL - CELL} 22`} aria-hidden="true" />
        <text class="screen-label" x={width / 2} y={36} text-anchor="middle" aria-hidden="true">
          SCREEN
        </text>
        {layout.rows.map((row, r) => {
          const y = TOP + r * CELL;
          return (
            <g key={row.label}>
              <text class="row-label" x={LABEL / 2} y={y + SEAT / 2 + 5} text-anchor="middle" aria-hidden="true">
                {row.label}
              </text>
              <text class="row-label" x={width - LABEL / 2} y={y + SEAT / 2 + 5} text-anchor="middle" aria-hidden="true">
                {row.label}
              </text>
              {row.cells.map((seat, c) => {
                if (!seat) return null;
                const status = statuses.get(seat.seatId) ?? 'available';
                const x = LABEL + c * CELL + (CELL - SEAT) / 2;
                return (
                  <g
                    key={seat.seatId}
                    data-seat={seat.seatId}
                    data-status={status}
                    class={`seat ${status} ${categoryClass(layout, seat.category)}${seat.accessible ? ' accessible' : ''}${busy.has(seat.seatId) ? ' busy' : ''}`}
                    role="button"
                    tabIndex={seat.seatId === current ? 0 : -1}
                    aria-label={seatLabel(row.label, seat, currency, status)}
                    aria-pressed={status === 'mine'}
                    aria-disabled={status === 'sold' || status === 'blocked'}
                    aria-busy={busy.has(seat.seatId) || undefined}
                    onClick={() => {
                      setFocused(seat.seatId);
                      onPick(seat.seatId);
                    }}
                    onKeyDown={onKeyDown(seat.seatId)}
                    onFocus={() => setFocused(seat.seatId)}
                  >
                    <rect x={x} y={y} width={SEAT} height={SEAT} rx={6} />
                    {status === 'sold' && <path class="mark" d={`M ${x + 7} ${y + 7} L ${x + SEAT - 7} ${y + SEAT - 7} M ${x + SEAT - 7} ${y + 7} L ${x + 7} ${y + SEAT - 7}`} />}
                    {status === 'blocked' && <path class="mark" d={`M ${x + 6} ${y + SEAT / 2} L ${x + SEAT - 6} ${y + SEAT / 2}`} />}
                    {status === 'mine' && <path class="mark" d={`M ${x + 6} ${y + 12} L ${x + 10} ${y + 17} L ${x + 18} ${y + 7}`} />}
                    {status === 'held' && <circle class="mark" cx={x + SEAT / 2} cy={y + SEAT / 2} r={4} />}
                    {status === 'available' && (
                      <text class="seat-number" x={x + SEAT / 2} y={y + SEAT / 2 + 4} text-anchor="middle" aria-hidden="true">
                        {seat.accessible ? '♿' : seat.number}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
