import { describe, expect, it } from 'vitest';
import { midnightIn } from './local-date';

describe("a date's midnight in the cinema's time zone", () => {
  it('follows the zone, its clock changes included', () => {
    expect(midnightIn('2026-12-01', 'UTC').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(midnightIn('2026-12-01', 'America/New_York').toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(midnightIn('2026-12-01', 'Asia/Kolkata').toISOString()).toBe('2026-11-30T18:30:00.000Z');
    // the day summer time begins (23 hours) and the day after
    expect(midnightIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(midnightIn('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});
