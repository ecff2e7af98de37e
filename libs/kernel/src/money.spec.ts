import fc from 'fast-check';
import { centsColumn, eurosToCents, formatEuro, parseEuros, sumCents } from './money';

/** Every unambiguous way a person writes an amount: with or without dots between thousands, comma or point, 0, 1 or 2 decimals. */
function writtenForms(cents: number): string[] {
  const whole = String(Math.floor(cents / 100));
  const fraction = String(cents % 100).padStart(2, '0');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const decimals = [fraction, ...(fraction.endsWith('0') ? [fraction[0]] : []), ...(fraction === '00' ? [''] : [])];
  const forms = new Set<string>();
  for (const digits of decimals) {
    for (const mark of [',', '.']) forms.add(digits ? `${whole}${mark}${digits}` : whole);
    if (grouped !== whole) forms.add(digits ? `${grouped},${digits}` : grouped);
  }
  return [...forms];
}

describe('money in cents', () => {
  it('parses euro amounts exactly', () => {
    expect(eurosToCents('25000')).toBe(2_500_000);
    expect(eurosToCents('60.5')).toBe(6050);
    expect(eurosToCents('0,07')).toBe(7);
    expect(eurosToCents(' 12.345 ')).toBe(1_234_500);
    expect(() => eurosToCents('twaalf')).toThrow(RangeError);
  });

  it.each([
    ['10.000', 1_000_000],
    ['10.000,50', 1_000_050],
    ['10000.50', 1_000_050],
    ['10000,5', 1_000_050],
    ['0,5', 50],
    ['0.05', 5],
    ['0', 0],
    ['10000', 1_000_000],
    ['1.000.000,00', 100_000_000],
    ['999.999', 99_999_900],
    ['12.34', 1234],
  ])('reads %p as %p cents', (text, cents) => {
    expect(parseEuros(text)).toBe(cents);
  });

  it.each([
    '0.001', // three decimals, or a thousands dot after a leading 0: ambiguous
    '0,001',
    '1.00.000',
    '10,000.50',
    '10,000',
    '1.5.0',
    '10.0000',
    '1000.000',
    '1.000.5',
    '1.000.000.5',
    '0.000',
    '007',
    '00,5',
    '.5',
    '5.',
    '5,',
    '1,234,567',
    '12.345,678',
    '10.50.00',
    '-12.34',
    '+5',
    '€ 10',
    '10 €',
    '10 000',
    '10_000',
    '10abc',
    'x10',
    '1e3',
    '0x10',
    '10.000,5.0',
    '١٢٣', // Arabic-Indic digits
    '',
    ' ',
    '99999999999999999999',
  ])('refuses %p', (text) => {
    expect(parseEuros(text)).toBeNull();
    expect(() => eurosToCents(text)).toThrow(RangeError);
  });

  it('reads every way of writing an amount back to the same cents', () => {
    const amount = fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 0, max: 9_000_000_000_000_000 / 1000 }).map((n) => n * 1000),
    );
    fc.assert(
      fc.property(amount, (cents) => {
        const forms = writtenForms(cents);
        expect(forms.length).toBeGreaterThan(0);
        for (const form of forms) expect(parseEuros(form)).toBe(cents);
      }),
      { numRuns: 2000 },
    );
  });

  it('never reads a text as another amount than one it is a written form of', () => {
    const text = fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '.', ',', ' ', '-'), maxLength: 14 });
    fc.assert(
      fc.property(text, (raw) => {
        const cents = parseEuros(raw);
        if (cents !== null) expect(writtenForms(cents)).toContain(raw.trim());
      }),
      { numRuns: 20_000 },
    );
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

  it("formats every amount as Intl's nl-BE currency format does, and the largest exactly where Intl's division rounds", () => {
    const intl = new Intl.NumberFormat('nl-BE', { style: 'currency', currency: 'EUR' });
    // Up to 10^14 cents (a trillion euros) cents / 100 keeps every cent, so Intl's text is exact there.
    const amounts = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 99_999, 100_000, 123_456_789, 10 ** 14, 12.5, 0.4];
    for (let i = 0; i < 2000; i++) amounts.push(Math.round((Math.random() - 0.5) * 10 ** (1 + (i % 14))));
    for (const cents of [...amounts, ...amounts.map((a) => -a)].map((a) => a || 0))
      expect([cents, formatEuro(cents)]).toEqual([cents, intl.format(cents / 100)]);
    expect(formatEuro(Number.MAX_SAFE_INTEGER)).toBe('€\u00a090.071.992.547.409,91');
    expect(formatEuro(-0)).toBe('€\u00a00,00'); // Intl writes "€ -0,00"
  });
});
