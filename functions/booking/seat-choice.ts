// Which seats to give a customer, and whether a hold would strand a single seat. Pure: the
// hall's seats and the seats already taken go in, a choice comes out; the caller makes the
// decision atomic (holds.ts reads and claims under one lock).
//
// Best available, in seats.io's order: adjacent seats in one row nearest the focal point that
// leave no single seat stranded; else adjacent seats that do (when the rule allows it); else
// the nearest seats across rows.

export interface HallSeat {
  seatId: string;
  row: string;
  /** rows counted from the screen, 0 first */
  rowIndex: number;
  /** the seat's column on the hall's grid: gaps and aisles take columns but have no seat */
  position: number;
  category: string;
  accessible: boolean;
}

/** Where the best view is, on the hall's grid (fractions allowed: between two seats). */
export interface FocalPoint {
  rowIndex: number;
  position: number;
}

export interface BestSeatsAsk {
  count: number;
  category?: string;
  accessible?: boolean;
}

export type BestSeats = { seats: string[]; together: boolean } | { seats: null; left: number };

export interface Stranding {
  /** the row whose seat would be left alone */
  row: string;
  stranded: string[];
  /** the same number of seats in that row that strands none, nearest to what was asked */
  alternative: string[];
}

/** The centre of the screen row: the first row, halfway across the grid. */
export function defaultFocalPoint(hall: HallSeat[]): FocalPoint {
  const first = Math.min(...hall.map((s) => s.rowIndex));
  const width = Math.max(...hall.map((s) => s.position)) + 1;
  return { rowIndex: first, position: (width - 1) / 2 };
}

interface Row {
  label: string;
  index: number;
  /** runs of seats with no gap or aisle between them */
  sections: HallSeat[][];
}

export function rowsOf(hall: HallSeat[]): Row[] {
  const byRow = new Map<number, HallSeat[]>();
  for (const s of hall) byRow.set(s.rowIndex, [...(byRow.get(s.rowIndex) ?? []), s]);
  return [...byRow.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, seats]) => {
      seats.sort((a, b) => a.position - b.position);
      const sections: HallSeat[][] = [];
      for (const s of seats) {
        const last = sections[sections.length - 1];
        if (last && last[last.length - 1].position === s.position - 1) last.push(s);
        else sections.push([s]);
      }
      return { label: seats[0].row, index, sections };
    });
}

/**
 * The free seats that `picked` would leave alone: free afterwards with no free neighbour in
 * their section (a taken seat, the row's end or an aisle on each side), having had one before.
 * A seat that was alone already is not this hold's doing.
 */
export function newlyStranded(section: HallSeat[], taken: ReadonlySet<string>, picked: ReadonlySet<string>): string[] {
  const freeBefore = (i: number) => i >= 0 && i < section.length && !taken.has(section[i].seatId);
  const freeAfter = (i: number) => freeBefore(i) && !picked.has(section[i].seatId);
  const out: string[] = [];
  for (let i = 0; i < section.length; i++) {
    if (freeAfter(i) && !freeAfter(i - 1) && !freeAfter(i + 1) && (freeBefore(i - 1) || freeBefore(i + 1))) out.push(section[i].seatId);
  }
  return out;
}

function strandedInRow(row: Row, taken: ReadonlySet<string>, picked: ReadonlySet<string>): string[] {
  return row.sections.flatMap((section) => (section.some((s) => picked.has(s.seatId)) ? newlyStranded(section, taken, picked) : []));
}

/**
 * The cheapest `k` free seats of the row (by `cost`, among `eligible`) that strand no seat, or
 * null when no choice of `k` seats in that row avoids it. Each run of free seats either gives
 * seats so that no remainder of one is left, or nothing; a knapsack over the runs picks how
 * many each gives.
 */
export function bestUnstrandingSet(row: Row, taken: ReadonlySet<string>, k: number, eligible: (s: HallSeat) => boolean, cost: (s: HallSeat) => number): string[] | null {
  const runs: HallSeat[][] = [];
  for (const section of row.sections) {
    let run: HallSeat[] = [];
    for (const s of section) {
      if (taken.has(s.seatId)) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push(s);
    }
    if (run.length) runs.push(run);
  }
  // per run: the cheapest way to take t seats of it, for every t that strands nothing
  const options = runs.map((run) => takesFromRun(run, k, eligible, cost));
  // knapsack: best[t] = cheapest way to take t seats from the runs so far
  let best: ({ cost: number; seats: string[] } | null)[] = Array.from({ length: k + 1 }, (_, t) => (t === 0 ? { cost: 0, seats: [] } : null));
  for (const opts of options) {
    const next = best.map((b) => b);
    for (let have = 0; have <= k; have++) {
      const b = best[have];
      if (!b) continue;
      for (const [t, o] of opts) {
        if (t === 0 || have + t > k) continue;
        const c = b.cost + o.cost;
        const cur = next[have + t];
        if (!cur || c < cur.cost) next[have + t] = { cost: c, seats: [...b.seats, ...o.seats] };
      }
    }
    best = next;
  }
  return best[k]?.seats ?? null;
}

/** For one run of free seats: t → the cheapest t seats to take that leave no piece of one behind. */
function takesFromRun(run: HallSeat[], k: number, eligible: (s: HallSeat) => boolean, cost: (s: HallSeat) => number): Map<number, { cost: number; seats: string[] }> {
  const out = new Map<number, { cost: number; seats: string[] }>();
  // A lone free seat is alone whatever we do: taking it or not strands nothing new.
  if (run.length === 1) {
    out.set(0, { cost: 0, seats: [] });
    if (eligible(run[0])) out.set(1, { cost: cost(run[0]), seats: [run[0].seatId] });
    return out;
  }
  // state: seats taken so far, and the length of the free piece being left (0, 1, 2 = two or more)
  type State = { cost: number; seats: string[] };
  let states = new Map<string, State>([['0:0', { cost: 0, seats: [] }]]);
  for (const seat of run) {
    const next = new Map<string, State>();
    const keep = (t: number, piece: number, st: State) => {
      const key = `${t}:${piece}`;
      const cur = next.get(key);
      if (!cur || st.cost < cur.cost) next.set(key, st);
    };
    for (const [key, st] of states) {
      const [t, piece] = key.split(':').map(Number);
      keep(t, Math.min(piece + 1, 2), st); // leave it free
      if (eligible(seat) && piece !== 1 && t < k) keep(t + 1, 0, { cost: st.cost + cost(seat), seats: [...st.seats, seat.seatId] });
    }
    states = next;
  }
  for (const [key, st] of states) {
    const [t, piece] = key.split(':').map(Number);
    if (piece === 1) continue;
    const cur = out.get(t);
    if (!cur || st.cost < cur.cost) out.set(t, st);
  }
  return out;
}

const distance = (s: HallSeat, f: FocalPoint) => Math.hypot(s.rowIndex - f.rowIndex, s.position - f.position);

interface Block {
  seats: HallSeat[];
  row: Row;
  score: number;
}

const better = (a: Block, b: Block | undefined) =>
  !b || a.score < b.score - 1e-9 || (Math.abs(a.score - b.score) <= 1e-9 && (a.row.index < b.row.index || (a.row.index === b.row.index && a.seats[0].position < b.seats[0].position)));

/**
 * The best `count` free seats for the ask. With `noSingleSeats`, a choice that strands a seat
 * is taken only when no choice of that many seats in that row avoids it; without, a choice
 * that strands none is still preferred.
 */
export function chooseBestSeats(hall: HallSeat[], taken: ReadonlySet<string>, ask: BestSeatsAsk, focal: FocalPoint, noSingleSeats: boolean): BestSeats {
  const eligible = (s: HallSeat) => !taken.has(s.seatId) && (ask.category === undefined || s.category === ask.category) && (ask.accessible === undefined || s.accessible === ask.accessible);
  const left = hall.filter(eligible).length;
  if (left < ask.count) return { seats: null, left };
  const rows = rowsOf(hall);
  const cost = (s: HallSeat) => distance(s, focal);

  // Side by side and stranding nobody: the common case, and no row needs the costlier check.
  const blocks = (keep: (block: Block, section: HallSeat[]) => boolean): Block | undefined => {
    let best: Block | undefined;
    for (const row of rows) {
      for (const section of row.sections) {
        for (let i = 0; i + ask.count <= section.length; i++) {
          const seats = section.slice(i, i + ask.count);
          if (!seats.every(eligible)) continue;
          const block = { seats, row, score: seats.reduce((t, s) => t + cost(s), 0) };
          if (better(block, best) && keep(block, section)) best = block;
        }
      }
    }
    return best;
  };
  const strands = (block: Block, section: HallSeat[]) => newlyStranded(section, taken, new Set(block.seats.map((s) => s.seatId))).length > 0;
  const clean = blocks((block, section) => !strands(block, section));
  // Side by side but stranding a seat: under the rule, only in a row where no choice avoids it.
  const avoidable = new Map<Row, boolean>();
  const rowAvoids = (row: Row) => avoidable.get(row) ?? avoidable.set(row, bestUnstrandingSet(row, taken, ask.count, eligible, cost) !== null).get(row)!;
  const stranding = clean ? undefined : blocks((block) => !noSingleSeats || !rowAvoids(block.row));
  const together = clean ?? stranding;
  if (together) return { seats: together.seats.map((s) => s.seatId), together: true };

  // No row has them side by side: the nearest seats wherever they are, then, under the rule,
  // each row's share taken so that it strands nobody where that can be done.
  const nearest = hall.filter(eligible).sort((a, b) => cost(a) - cost(b) || a.rowIndex - b.rowIndex || a.position - b.position).slice(0, ask.count);
  const chosen: string[] = [];
  for (const row of rows) {
    const mine = nearest.filter((s) => s.rowIndex === row.index);
    if (!mine.length) continue;
    const ids = mine.map((s) => s.seatId);
    if (noSingleSeats && strandedInRow(row, taken, new Set(ids)).length) chosen.push(...(bestUnstrandingSet(row, taken, ids.length, eligible, cost) ?? ids));
    else chosen.push(...ids);
  }
  return { seats: chosen, together: false };
}

/**
 * Whether holding `picked` would strand a seat in a row where some other choice of as many
 * seats would not; if so, the first such row, the seats left alone and that other choice
 * (the nearest to the seats picked). Seats of a row where every choice strands are allowed.
 */
export function strandingOf(hall: HallSeat[], taken: ReadonlySet<string>, picked: string[]): Stranding | null {
  const pickedSet = new Set(picked.filter((id) => !taken.has(id)));
  for (const row of rowsOf(hall)) {
    const inRow = row.sections.flat().filter((s) => pickedSet.has(s.seatId));
    if (!inRow.length) continue;
    const stranded = strandedInRow(row, taken, pickedSet);
    if (!stranded.length) continue;
    const centre = inRow.reduce((t, s) => t + s.position, 0) / inRow.length;
    const cost = (s: HallSeat) => Math.abs(s.position - centre);
    const free = (s: HallSeat) => !taken.has(s.seatId);
    const alternative = nearestBlock(row, taken, inRow.length, cost) ?? bestUnstrandingSet(row, taken, inRow.length, free, cost);
    if (alternative) return { row: row.label, stranded, alternative };
  }
  return null;
}

/** Side by side if it can be: the nearest run of `k` free seats in the row that strands nobody. */
function nearestBlock(row: Row, taken: ReadonlySet<string>, k: number, cost: (s: HallSeat) => number): string[] | null {
  let best: { ids: string[]; score: number } | null = null;
  for (const section of row.sections) {
    for (let i = 0; i + k <= section.length; i++) {
      const seats = section.slice(i, i + k);
      if (seats.some((s) => taken.has(s.seatId))) continue;
      const ids = seats.map((s) => s.seatId);
      if (newlyStranded(section, taken, new Set(ids)).length) continue;
      const score = seats.reduce((t, s) => t + cost(s), 0);
      if (!best || score < best.score) best = { ids, score };
    }
  }
  return best?.ids ?? null;
}
