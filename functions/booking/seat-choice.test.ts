import { describe, expect, it } from 'vitest';
import { chooseBestSeats, defaultFocalPoint, newlyStranded, strandingOf, bestUnstrandingSet, rowsOf, type HallSeat } from './seat-choice';

/**
 * A hall drawn as text, one row a line from the screen back: `s` standard, `p` premium, `w`
 * an accessible place, `.` a gap or aisle. Seats are numbered along each row, skipping gaps.
 */
function hall(...lines: string[]): HallSeat[] {
  return lines.flatMap((line, rowIndex) => {
    const row = String.fromCharCode(65 + rowIndex);
    let n = 0;
    return [...line].flatMap((c, position) =>
      c === '.' ? [] : [{ seatId: `${row}${++n}`, row, rowIndex, position, category: c === 'p' ? 'premium' : 'standard', accessible: c === 'w' }],
    );
  });
}
const taken = (...ids: string[]) => new Set(ids);
const centre = (h: HallSeat[]) => defaultFocalPoint(h);

describe('best available', () => {
  it('gives adjacent seats in one row, nearest the centre of the screen row by default', () => {
    const h = hall('ssssssss', 'ssssssss');
    expect(defaultFocalPoint(h)).toEqual({ rowIndex: 0, position: 3.5 });
    expect(chooseBestSeats(h, taken(), { count: 2 }, centre(h), false)).toEqual({ seats: ['A4', 'A5'], together: true });
    expect(chooseBestSeats(h, taken(), { count: 3 }, centre(h), false)).toEqual({ seats: ['A3', 'A4', 'A5'], together: true });
  });

  it('moves to the hall focal point when the hall sets one', () => {
    const h = hall('ssssssss', 'ssssssss', 'ssssssss', 'ssssssss');
    expect(chooseBestSeats(h, taken(), { count: 2 }, { rowIndex: 2, position: 2.5 }, false)).toEqual({ seats: ['C3', 'C4'], together: true });
  });

  it('prefers a row further back where the seats are side by side to a split near the front', () => {
    const h = hall('ssssssss', 'ssssssss');
    const front = taken('A1', 'A3', 'A5', 'A7');
    expect(chooseBestSeats(h, front, { count: 2 }, centre(h), false)).toEqual({ seats: ['B4', 'B5'], together: true });
  });

  it('never counts seats across a gap or an aisle as adjacent', () => {
    const h = hall('ss.ss.ss');
    expect(chooseBestSeats(h, taken(), { count: 3 }, centre(h), false)).toMatchObject({ together: false });
    const block = chooseBestSeats(h, taken(), { count: 2 }, centre(h), false);
    expect(block).toEqual({ seats: ['A3', 'A4'], together: true });
  });

  it('filters by category and by accessible places', () => {
    const h = hall('ssssssss', 'pppppppp', 'swwsswws');
    expect(chooseBestSeats(h, taken(), { count: 2, category: 'premium' }, centre(h), false)).toEqual({ seats: ['B4', 'B5'], together: true });
    expect(chooseBestSeats(h, taken(), { count: 2, accessible: true }, centre(h), false)).toEqual({ seats: ['C2', 'C3'], together: true });
    expect(chooseBestSeats(h, taken(), { count: 3, accessible: true }, centre(h), false)).toMatchObject({ together: false });
    expect(chooseBestSeats(h, taken(), { count: 5, accessible: true }, centre(h), false)).toEqual({ seats: null, left: 4 });
  });

  it('falls back to the nearest seats across rows when no row has them together', () => {
    const h = hall('ssss', 'ssss');
    const r = chooseBestSeats(h, taken('A1', 'A3', 'B2', 'B4'), { count: 3 }, centre(h), false);
    expect(r).toMatchObject({ together: false });
    expect(r.seats!.sort()).toEqual(['A2', 'A4', 'B3']);
  });

  it('says how many are left when there are too few', () => {
    const h = hall('ssss');
    expect(chooseBestSeats(h, taken('A1', 'A2'), { count: 3 }, centre(h), false)).toEqual({ seats: null, left: 2 });
  });

  it('prefers seats that strand nobody even when the rule is off', () => {
    // A1 taken: A3-A4, nearest the focal point, would leave A2 alone; A2-A3 strands no one
    const h = hall('ssssss', 'ssssss');
    const r = chooseBestSeats(h, taken('A1'), { count: 2 }, { rowIndex: 0, position: 2.5 }, false);
    expect(r).toEqual({ seats: ['A2', 'A3'], together: true });
  });

  it('with the rule on, skips a block that strands a seat when the row has another choice', () => {
    const h = hall('sssss', 'sssss');
    // A1 taken: the centre block A3-A4 leaves A2 alone between A1 and A3, and A5 at the row's end
    const strict = chooseBestSeats(h, taken('A1'), { count: 2 }, centre(h), true);
    expect(strict).toEqual({ seats: ['A2', 'A3'], together: true });
  });

  it('with the rule on, takes a stranding block when no choice of that many in the row avoids it', () => {
    const h = hall('sss');
    // three free seats, two wanted: whatever is taken, one is left alone
    expect(chooseBestSeats(h, taken(), { count: 2 }, centre(h), true)).toEqual({ seats: ['A1', 'A2'], together: true });
  });
});

describe('stranded seats', () => {
  const row = (line: string) => rowsOf(hall(line))[0];

  it('finds a seat left between two taken ones, beside the row end, and beside an aisle', () => {
    const [section] = row('sssss').sections;
    expect(newlyStranded(section, taken('A1'), taken('A3'))).toEqual(['A2']);
    expect(newlyStranded(section, taken(), taken('A2', 'A3'))).toEqual(['A1']);
    const aisle = row('sss.sss').sections[0];
    expect(newlyStranded(aisle, taken(), taken('A1', 'A2'))).toEqual(['A3']);
    expect(newlyStranded(section, taken(), taken('A1', 'A2'))).toEqual([]);
  });

  it('does not blame a hold for a seat that was alone already', () => {
    const [section] = row('sssss').sections;
    expect(newlyStranded(section, taken('A1', 'A3'), taken('A4', 'A5'))).toEqual([]);
  });

  it('a hold that strands is refused with the stranded seat and the nearest choice that does not', () => {
    const h = hall('ssssss');
    expect(strandingOf(h, taken(), ['A2', 'A3'])).toEqual({ row: 'A', stranded: ['A1'], alternative: ['A1', 'A2'] });
    expect(strandingOf(h, taken('A6'), ['A3', 'A4'])).toEqual({ row: 'A', stranded: ['A5'], alternative: ['A4', 'A5'] });
    expect(strandingOf(h, taken(), ['A1', 'A2'])).toBeNull();
  });

  it('allows a stranding hold when no choice of that many seats in the row avoids it', () => {
    const h = hall('sss.ssssss');
    // section one has three seats: any two of them leave one; but the other section has a clean choice
    expect(strandingOf(h, taken(), ['A1', 'A2'])?.alternative).toEqual(['A4', 'A5']);
    const narrow = hall('sss');
    expect(strandingOf(narrow, taken(), ['A1', 'A2'])).toBeNull();
  });

  it('finds a clean choice that is not side by side when only that exists', () => {
    // free runs of two and five; four wanted: two from each run strands nobody
    const r = row('ss.sssss');
    const set = bestUnstrandingSet(r, taken(), 4, () => true, (s) => s.position);
    expect(set).not.toBeNull();
    expect(set!.length).toBe(4);
    expect(bestUnstrandingSet(row('sss'), taken(), 2, () => true, () => 0)).toBeNull();
  });

  it('suggests for the row in question only, keeping the other rows of the hold', () => {
    const h = hall('ssssss', 'ssssss');
    const s = strandingOf(h, taken(), ['A1', 'A2', 'B2', 'B3']);
    expect(s).toEqual({ row: 'B', stranded: ['B1'], alternative: ['B1', 'B2'] });
  });
});
