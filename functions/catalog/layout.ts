// Seat layouts: how an operator describes a hall, and the seat map a customer sees.
// Pure functions; the database only stores what these produce.
import { z } from 'zod';

/** A cell of a row: a seat of a category, optionally accessible, or null for a gap/aisle. */
const cell = z.union([
  z.null(),
  z.string().min(1).max(30),
  z.strictObject({ category: z.string().min(1).max(30), accessible: z.boolean().optional() }),
]);

export const layoutInput = z
  .strictObject({
    // price in cents of each seat category in this hall
    categories: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,29}$/, 'category names are lower-case words'), z.number().int().min(0).max(1_000_000)),
    rows: z
      .array(z.strictObject({ label: z.string().regex(/^[A-Z]{1,3}$/, 'row labels are 1-3 capital letters'), seats: z.array(cell).min(1).max(100) }))
      .min(1)
      .max(60),
    // where the best view is, for best-available holds: a row, and a column counted from 1 over
    // the row's cells (gaps included; a half is between two cells). Unset: the centre of the
    // screen row (the first); a row without a column: that row's centre.
    focalPoint: z
      .strictObject({
        row: z.string().regex(/^[A-Z]{1,3}$/, 'row labels are 1-3 capital letters'),
        column: z.number().min(1).max(100).multipleOf(0.5, 'a column is a whole number or a half').optional(),
      })
      .optional(),
  })
  .superRefine((layout, ctx) => {
    const focal = layout.focalPoint;
    if (focal) {
      const width = Math.max(...layout.rows.map((r) => r.seats.length));
      if (!layout.rows.some((r) => r.label === focal.row)) ctx.addIssue({ code: 'custom', path: ['focalPoint', 'row'], message: `there is no row ${focal.row}` });
      else if (focal.column !== undefined && focal.column > width) ctx.addIssue({ code: 'custom', path: ['focalPoint', 'column'], message: `the hall is ${width} columns wide` });
    }
    const labels = new Set<string>();
    layout.rows.forEach((row, r) => {
      if (labels.has(row.label)) ctx.addIssue({ code: 'custom', path: ['rows', r, 'label'], message: `row ${row.label} appears twice` });
      labels.add(row.label);
      row.seats.forEach((c, i) => {
        const category = typeof c === 'string' ? c : c?.category;
        if (category !== undefined && !(category in layout.categories)) {
          ctx.addIssue({ code: 'custom', path: ['rows', r, 'seats', i], message: `unknown seat category "${category}"` });
        }
      });
      if (row.seats.every((c) => c === null)) ctx.addIssue({ code: 'custom', path: ['rows', r, 'seats'], message: `row ${row.label} has no seat` });
    });
  });

export type LayoutInput = z.output<typeof layoutInput>;

export interface Seat {
  seatId: string;
  rowLabel: string;
  rowIndex: number;
  number: number;
  position: number;
  category: string;
  accessible: boolean;
}

/** Seats are numbered from 1 along each row, left to right; gaps take a position but no number. */
export function seatsOf(layout: LayoutInput): Seat[] {
  const seats: Seat[] = [];
  layout.rows.forEach((row, rowIndex) => {
    let number = 0;
    row.seats.forEach((c, position) => {
      if (c === null) return;
      number++;
      const category = typeof c === 'string' ? c : c.category;
      const accessible = typeof c === 'string' ? false : (c.accessible ?? false);
      seats.push({ seatId: `${row.label}${number}`, rowLabel: row.label, rowIndex, number, position, category, accessible });
    });
  });
  return seats;
}

export interface HallFocalPoint {
  row: string;
  column?: number;
}

/** The focal point on the grid (0-based row index and column), as best-available reckons distances. */
export function focalPointOf(seats: Seat[], focal: HallFocalPoint | null | undefined): { rowIndex: number; position: number } {
  const width = Math.max(...seats.map((s) => s.position)) + 1;
  const inRow = focal ? seats.find((s) => s.rowLabel === focal.row) : undefined;
  const rowIndex = inRow?.rowIndex ?? Math.min(...seats.map((s) => s.rowIndex));
  return { rowIndex, position: focal?.column !== undefined && inRow ? focal.column - 1 : (width - 1) / 2 };
}

export type SeatStatus = 'available' | 'held' | 'sold';

export interface SeatMapCell {
  seatId: string;
  number: number;
  category: string;
  accessible: boolean;
  price: number;
  status: SeatStatus;
}

export interface SeatMap {
  rows: { label: string; cells: (SeatMapCell | null)[] }[];
  counts: Record<SeatStatus, number>;
}

/** The grid a customer picks from: every row at full width, null where the aisle or gap is. */
export function seatMap(seats: Seat[], prices: Record<string, number>, statuses: Map<string, SeatStatus>): SeatMap {
  const byRow = new Map<number, Seat[]>();
  for (const s of seats) byRow.set(s.rowIndex, [...(byRow.get(s.rowIndex) ?? []), s]);
  const width = Math.max(...seats.map((s) => s.position)) + 1;
  const counts: Record<SeatStatus, number> = { available: 0, held: 0, sold: 0 };
  const rows = [...byRow.keys()]
    .sort((a, b) => a - b)
    .map((rowIndex) => {
      const rowSeats = byRow.get(rowIndex)!;
      const cells: (SeatMapCell | null)[] = Array.from({ length: width }, () => null);
      for (const s of rowSeats) {
        const status = statuses.get(s.seatId) ?? 'available';
        counts[status]++;
        cells[s.position] = { seatId: s.seatId, number: s.number, category: s.category, accessible: s.accessible, price: prices[s.category], status };
      }
      return { label: rowSeats[0].rowLabel, cells };
    });
  return { rows, counts };
}

export interface LayoutSeat {
  seatId: string;
  number: number;
  category: string;
  accessible: boolean;
  price: number;
}

export interface SeatLayout {
  /** columns of the grid: every row is this wide, gaps and aisles included */
  width: number;
  rows: { label: string; cells: (LayoutSeat | null)[] }[];
  /** the categories of this showtime with their prices in cents, cheapest first */
  categories: { name: string; price: number }[];
}

/**
 * The hall as a customer's seat map draws it, without any status: it changes only when the
 * hall does, so it can be cached, while availability (booking's) changes every second.
 */
export function seatLayout(seats: Seat[], prices: Record<string, number>): SeatLayout {
  const { rows } = seatMap(seats, prices, new Map());
  const used = new Set(seats.map((s) => s.category));
  return {
    width: rows[0]?.cells.length ?? 0,
    rows: rows.map((r) => ({ label: r.label, cells: r.cells.map((c) => (c ? { seatId: c.seatId, number: c.number, category: c.category, accessible: c.accessible, price: c.price } : null)) })),
    categories: Object.entries(prices)
      .filter(([name]) => used.has(name))
      .map(([name, price]) => ({ name, price }))
      .sort((a, b) => a.price - b.price || a.name.localeCompare(b.name)),
  };
}
