import fc from 'fast-check';
import { centsColumn, eurosToCents, formatEuro, sumCents } from './money';

describe('money in cents', () => {
  it('parses euro amounts exactly', () => {
    expect(eurosToCents('25000')).toBe(2_500_000);
    expect(eurosToCents('60.5')).toBe(6050);
    expect(eurosToCents('0,07')).toBe(7);
    expect(eurosToCents('-12.34')).toBe(-1234);
    expect(() => eurosToCents('12.345')).toThrow(RangeError);
    expect(() => eurosToCents('twaalf')).toThrow(RangeError);
  });

  it('sums exactly and refuses fractions of a cent', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 })), (values) => sumCents(values) === values.reduce((a, b) => a + b, 0)));
    expect(() => sumCents([1, 0.5])).toThrow(RangeError);
  });

  it('reads bigint columns from node-postgres (string) and PGlite (number) alike', () => {
    expect(centsColumn.from('1413635900')).toBe(1_413_635_900);
    expect(centsColumn.from(65000)).toBe(65000);
    expect(centsColumn.from(null)).toBeNull();
    expect(() => centsColumn.from('9007199254740993')).toThrow(RangeError);
  });

  it('formats in Flemish notation', () => {
    expect(formatEuro(2_500_000).replace(/\s/g, ' ')).toBe('€ 25.000,00');
  });
});
