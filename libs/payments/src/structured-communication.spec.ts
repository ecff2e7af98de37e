import fc from 'fast-check';
import { isStructuredCommunication, PaymentKind, paymentReference, plainReference, structuredCommunication } from './structured-communication';

describe('Belgian structured communication', () => {
  it('pads the base to 10 digits and appends base mod 97 as two digits', () => {
    expect(structuredCommunication(1)).toBe('+++000/0000/00101+++');
    // 1234567890 = 97 × 12727504 + 2
    expect(structuredCommunication(1_234_567_890)).toBe('+++123/4567/89002+++');
    // 10^10 ≡ 49 (mod 97), so 9999999999 ≡ 48
    expect(structuredCommunication('9999999999')).toBe('+++999/9999/99948+++');
  });

  it('writes 97 when the base is a multiple of 97', () => {
    expect(structuredCommunication(97)).toBe('+++000/0000/09797+++');
    expect(structuredCommunication(0)).toBe('+++000/0000/00097+++');
    expect(structuredCommunication(97n * 12_345n)).toBe('+++000/1197/46597+++');
  });

  it('takes a number, a bigint or a digit string alike', () => {
    expect(structuredCommunication('0000000001')).toBe(structuredCommunication(1));
    expect(structuredCommunication(1n)).toBe(structuredCommunication(1));
  });

  it('refuses bases that do not fit 10 digits or are not whole numbers', () => {
    for (const base of [-1, 10_000_000_000, 1.5, Number.NaN, -1n, 10n ** 10n, '12345678901', '', '12a', '-1', ' 1']) {
      expect(() => structuredCommunication(base)).toThrow(RangeError);
    }
  });

  it('recognises its own output and nothing with a wrong check or format', () => {
    expect(isStructuredCommunication('+++123/4567/89002+++')).toBe(true);
    expect(isStructuredCommunication('+++000/0000/09797+++')).toBe(true);
    expect(isStructuredCommunication('+++123/4567/89003+++')).toBe(false);
    expect(isStructuredCommunication('+++000/0000/00100+++')).toBe(false);
    expect(isStructuredCommunication('+++000/0000/09700+++')).toBe(false);
    expect(isStructuredCommunication('123/4567/89002')).toBe(false);
    expect(isStructuredCommunication('+++1234/567/89002+++')).toBe(false);
    expect(isStructuredCommunication(' +++123/4567/89002+++')).toBe(false);
    expect(isStructuredCommunication('+++123/4567/89002+++\n')).toBe(false);
  });

  it('round-trips every base and catches every single changed digit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n - 1n }), fc.nat(11), fc.integer({ min: 1, max: 9 }), (base, position, delta) => {
        const text = structuredCommunication(base);
        const digits = text.replace(/\D/g, '');
        const changed = digits.slice(0, position) + ((Number(digits[position]) + delta) % 10) + digits.slice(position + 1);
        const tampered = `+++${changed.slice(0, 3)}/${changed.slice(3, 7)}/${changed.slice(7)}+++`;
        return isStructuredCommunication(text) && BigInt(digits.slice(0, 10)) === base && !isStructuredCommunication(tampered);
      }),
    );
  });
});

describe('payment reference', () => {
  it('lays out project year, kind digit and applicant id as the base', () => {
    // base 0210000042 = 97 × 2164948 + 86
    expect(paymentReference(2, 42, 'advance')).toBe('+++021/0000/04286+++');
    // base 0220000042 = 97 × 2268041 + 65
    expect(paymentReference(2, 42, 'balance')).toBe('+++022/0000/04265+++');
    expect(paymentReference(99, 9_999_999, 'balance')).toBe('+++992/9999/99901+++');
  });

  it('is deterministic and differs per call year, applicant and kind', () => {
    expect(paymentReference(3, 7, 'advance')).toBe(paymentReference(3, 7, 'advance'));
    const references = new Set<string>();
    for (const year of [1, 2])
      for (const id of [1, 2, 10]) for (const kind of ['advance', 'balance', 'recovery'] as const) references.add(paymentReference(year, id, kind));
    expect(references.size).toBe(18);
  });

  it('refuses values that do not fit the layout', () => {
    expect(() => paymentReference(0, 1, 'advance')).toThrow(RangeError);
    expect(() => paymentReference(100, 1, 'advance')).toThrow(RangeError);
    expect(() => paymentReference(2, 0, 'advance')).toThrow(RangeError);
    expect(() => paymentReference(2, 10_000_000, 'advance')).toThrow(RangeError);
    expect(() => paymentReference(2, 1.5, 'advance')).toThrow(RangeError);
    expect(() => paymentReference(2, 1, 'interim' as PaymentKind)).toThrow(RangeError);
    expect(() => paymentReference(2, 1, 'toString' as PaymentKind)).toThrow(RangeError);
  });
});

describe('the plain form for banks', () => {
  it('is the 12 digits without +++ or slashes, leading zeros kept', () => {
    expect(plainReference('+++031/0000/00230+++')).toBe('031000000230');
    expect(plainReference(paymentReference(2, 42, 'advance'))).toBe('021000004286');
  });

  it('refuses anything that is not a valid structured communication', () => {
    for (const text of ['031000000230', '+++031/0000/00231+++', "'+++031/0000/00230+++", '']) expect(() => plainReference(text)).toThrow(RangeError);
  });
});
