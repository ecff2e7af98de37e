import { BRUSSELS_INSTANT_REFUSED, brusselsInstantOf, brusselsToInstant, formatBrussels } from './brussels-time';
import { FieldErrors } from './errors';

describe('Brussels wall-clock times', () => {
  it('applies summer time (UTC+2) and winter time (UTC+1)', () => {
    expect(brusselsToInstant('2023-07-10T12:00').toISOString()).toBe('2023-07-10T10:00:00.000Z');
    expect(brusselsToInstant('2022-03-01T00:00').toISOString()).toBe('2022-02-28T23:00:00.000Z');
  });

  it('handles the night of the daylight-saving change', () => {
    // 26 March 2023: clocks go from 02:00 to 03:00.
    expect(brusselsToInstant('2023-03-26T01:59:59').toISOString()).toBe('2023-03-26T00:59:59.000Z');
    expect(brusselsToInstant('2023-03-26T03:00:00').toISOString()).toBe('2023-03-26T01:00:00.000Z');
  });

  it('shows instants as Brussels time in Dutch', () => {
    expect(formatBrussels(new Date('2023-07-10T10:00:00Z'))).toBe('10 juli 2023 12:00');
    expect(formatBrussels(new Date('2023-12-31T23:05:00Z'))).toBe('1 januari 2024 00:05');
    expect(formatBrussels(new Date('2023-03-26T01:30:00Z'))).toBe('26 maart 2023 03:30');
    expect(formatBrussels(new Date('2023-10-29T00:59:00Z'), false)).toBe('29 oktober 2023');
  });

  it('refuses what is not a time', () => {
    expect(() => brusselsToInstant('10/07/2023')).toThrow(RangeError);
  });
});

describe('a Brussels time typed into a field (brusselsInstantOf)', () => {
  it('gives the instant of an existing time', () => {
    expect(brusselsInstantOf('2025-10-15T23:59', 'until').toISOString()).toBe('2025-10-15T21:59:00.000Z');
  });

  it('refuses a date that does not exist under the field it was typed in', () => {
    for (const text of ['2025-02-30T12:00', '2025-13-01T00:00', 'morgen']) {
      expect(() => brusselsInstantOf(text, 'until')).toThrow(FieldErrors);
      try {
        brusselsInstantOf(text, 'until');
      } catch (error) {
        expect((error as FieldErrors).fields).toEqual({ until: [BRUSSELS_INSTANT_REFUSED] });
      }
    }
  });
});
