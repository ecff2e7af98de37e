import fc from 'fast-check';
import { formatIban, formatKbo, normaliseBic, normaliseIban, normaliseKbo, normalisePhone } from './identifiers';

describe('KBO enterprise numbers', () => {
  it('accepts valid numbers with or without dots and refuses a wrong check', () => {
    expect(normaliseKbo('0207.437.468')).toBe('0207437468');
    expect(normaliseKbo('0207437468')).toBe('0207437468');
    expect(normaliseKbo('0207.437.469')).toBeNull();
    expect(normaliseKbo('2207437468')).toBeNull();
    expect(normaliseKbo('020743746')).toBeNull();
    expect(formatKbo('0207437468')).toBe('0207.437.468');
  });

  it('accepts exactly the numbers whose last two digits are 97 minus the first eight mod 97', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19_999_999 }), (base) => {
        const first = String(base).padStart(8, '0');
        const check = String(97 - (base % 97)).padStart(2, '0');
        const wrong = String(((97 - (base % 97)) % 97) + 1).padStart(2, '0');
        return normaliseKbo(first + check) === first + check && normaliseKbo(first + wrong) === null;
      }),
    );
  });
});

describe('IBAN', () => {
  it('accepts valid Belgian and foreign IBANs in any spacing and case', () => {
    expect(normaliseIban('BE68 5390 0754 7034')).toBe('BE68539007547034');
    expect(normaliseIban('be71096123456769')).toBe('BE71096123456769');
    expect(normaliseIban('NL91ABNA0417164300')).toBe('NL91ABNA0417164300');
    expect(normaliseIban('DE89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
    expect(formatIban('BE68539007547034')).toBe('BE68 5390 0754 7034');
  });

  it('refuses wrong check digits, lengths, countries and Belgian account checks', () => {
    expect(normaliseIban('BE68 5390 0754 7035')).toBeNull();
    expect(normaliseIban('BE68 5390 0754 703')).toBeNull();
    expect(normaliseIban('XX68539007547034')).toBeNull();
    expect(normaliseIban('')).toBeNull();
  });

  it('refuses every single-digit typo in a valid IBAN', () => {
    const valid = 'BE68539007547034';
    fc.assert(
      fc.property(fc.integer({ min: 2, max: valid.length - 1 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const digit = (Number(valid[position]) + delta) % 10;
        return normaliseIban(valid.slice(0, position) + digit + valid.slice(position + 1)) === null;
      }),
    );
  });
});

describe('phone numbers', () => {
  it('normalises Belgian and international numbers, and refuses the rest', () => {
    expect(normalisePhone('09 266 55 00')).toBe('+3292665500');
    expect(normalisePhone('0470/12.34.56')).toBe('+32470123456');
    expect(normalisePhone('+32 2 553 11 11')).toBe('+3225531111');
    expect(normalisePhone('+31 20 123 4567')).toBe('+31201234567');
    expect(normalisePhone('12345')).toBeNull();
    expect(normalisePhone('bel me')).toBeNull();
  });
});

describe('BIC', () => {
  it('takes 8 or 11 characters, spaces and case aside', () => {
    expect(normaliseBic('GKCCBEBB')).toBe('GKCCBEBB');
    expect(normaliseBic('gkcc be bb')).toBe('GKCCBEBB');
    expect(normaliseBic('GEBABEBB36A')).toBe('GEBABEBB36A');
  });

  it('refuses other lengths, digits in the bank or country code, and test codes', () => {
    for (const text of ['GKCCBEB', 'GKCCBEBB1', 'GKCCBEBB1234', 'GK1CBEBB', 'GKCC1EBB', 'GKCCBE1B', 'GKCCBEBO', '', 'GKCC-BEBB'])
      expect(normaliseBic(text)).toBeNull();
  });
});
