// One rule for a showtime's time: what catalog schedules (its start passes showtimeStart and
// its span showtimeSpanProblem), booking takes in showtime.scheduled, and nothing else.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { showtimeScheduledData } from '../events';
import { SHOWTIME_STARTS, showtimeSpanProblem, showtimeStart } from '../showtime-time';

const scheduled = (startsAt: string, endsAt: string) => ({
  showtimeId: randomUUID(),
  movieId: randomUUID(),
  movieTitle: 'Vertigo',
  hallId: randomUUID(),
  hallName: 'Hall 1',
  startsAt,
  endsAt,
  currency: 'EUR',
  seats: { A1: { category: 'standard', price: 1000 } },
});

describe('a valid showtime time', () => {
  it('is a date-time with its offset inside the window', () => {
    expect(showtimeStart.safeParse('2026-12-01T19:30:00Z').success).toBe(true);
    expect(showtimeStart.safeParse('2026-12-01T19:30:00+01:00').success).toBe(true);
    expect(showtimeStart.safeParse(SHOWTIME_STARTS.latest).success).toBe(true);
    for (const bad of ['9999-12-31T23:00:00Z', '2100-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2026-12-01T19:30:00', '2026-12-01', '+010000-01-01T00:00:00Z']) {
      expect(showtimeStart.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('ends after it starts, within a day', () => {
    expect(showtimeSpanProblem('2026-12-01T19:30:00Z', '2026-12-01T21:30:00Z')).toBeUndefined();
    expect(showtimeSpanProblem('2026-12-01T19:30:00Z', '2026-12-01T19:30:00Z')).toBe('endsAt must be after startsAt');
    expect(showtimeSpanProblem('2026-12-01T19:30:00Z', '2026-12-03T19:30:00Z')).toBe('a showtime lasts at most 24 hours');
    expect(showtimeSpanProblem('9999-12-31T23:00:00.000Z', '+010000-01-01T01:15:00.000Z')).toMatch(/^startsAt must be between/);
  });

  it("is what booking's event contract takes: the same verdict for any start and length catalog could send", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2300-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 840 }), (start, minutes) => {
        const startsAt = start.toISOString();
        const endsAt = new Date(start.getTime() + minutes * 60_000).toISOString();
        const catalogTakes = showtimeStart.safeParse(startsAt).success && showtimeSpanProblem(startsAt, endsAt) === undefined;
        expect(showtimeScheduledData.safeParse(scheduled(startsAt, endsAt)).success).toBe(catalogTakes);
      }),
      { numRuns: 500, seed: 20261201 },
    );
  });
});
