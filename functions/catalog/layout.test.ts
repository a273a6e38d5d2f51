import { describe, expect, it } from 'vitest';
import { layoutInput, seatMap, seatsOf } from './layout';

const small = layoutInput.parse({
  categories: { standard: 1000, premium: 1500 },
  rows: [
    { label: 'A', seats: ['standard', null, 'standard', 'standard'] },
    { label: 'B', seats: [{ category: 'premium', accessible: true }, null, null, 'premium'] },
  ],
});

describe('seat layout', () => {
  it('numbers seats along each row, skipping gaps', () => {
    expect(seatsOf(small).map((s) => `${s.seatId}@${s.position}`)).toEqual(['A1@0', 'A2@2', 'A3@3', 'B1@0', 'B2@3']);
  });

  it('keeps gaps as nulls at full width in the seat map, with prices and statuses', () => {
    const map = seatMap(seatsOf(small), { standard: 1000, premium: 1500 }, new Map([['A2', 'sold' as const]]));
    expect(map.rows.map((r) => r.cells.map((c) => (c ? `${c.seatId}:${c.status[0]}` : '_')).join(' '))).toEqual([
      'A1:a _ A2:s A3:a',
      'B1:a _ _ B2:a',
    ]);
    expect(map.rows[1].cells[0]).toMatchObject({ accessible: true, price: 1500, category: 'premium' });
    expect(map.counts).toEqual({ available: 4, held: 0, sold: 1 });
  });

  it('says what is wrong with a bad layout', () => {
    const bad = layoutInput.safeParse({
      categories: { standard: 1000 },
      rows: [
        { label: 'A', seats: ['vip'] },
        { label: 'A', seats: [null] },
      ],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message);
    expect(messages).toContain('unknown seat category "vip"');
    expect(messages).toContain('row A appears twice');
    expect(messages).toContain('row A has no seat');
  });
});
