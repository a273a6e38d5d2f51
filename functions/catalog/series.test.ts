import { describe, expect, it } from 'vitest';
import { seriesOverlap } from './showtimes';

const slot = (start: string, end: string) => ({ startsAt: new Date(`2026-12-10T${start}:00Z`), endsAt: new Date(`2026-12-10T${end}:00Z`) });

describe('a series overlapping itself', () => {
  it('finds two slots of the series that overlap, whatever order they were given in', () => {
    expect(seriesOverlap([slot('21:00', '22:45'), slot('18:00', '19:45'), slot('19:30', '21:15')])).toEqual([1, 2]);
    expect(seriesOverlap([slot('19:30', '21:15'), slot('21:00', '22:45')])).toEqual([0, 1]);
  });

  it('lets a showtime start the minute the one before ends', () => {
    expect(seriesOverlap([slot('18:00', '19:45'), slot('19:45', '21:30'), slot('12:00', '13:00')])).toBeUndefined();
    expect(seriesOverlap([])).toBeUndefined();
  });
});
