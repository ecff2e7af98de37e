import fc from 'fast-check';
import { fieldsWithInvalidCharacters, hasInvalidCharacters } from './hostile-input';

/** The text rule spelt out code unit by code unit, to check the regular expression against. */
function breaksRule(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if ((unit < 0x20 && ![0x09, 0x0a, 0x0d].includes(unit)) || unit === 0x7f) return true;
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    const next = text.charCodeAt(i + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) i++;
    else if (high || low) return true;
  }
  return false;
}

describe('the text rule', () => {
  it.each([
    ['\ud800', 'a lone high surrogate'],
    ['\udfff', 'a lone low surrogate'],
    ['a\ud83dz', 'a high surrogate between letters'],
    ['\ude00\ud83d', 'a reversed pair'],
    ['\ud83d\ude00\ude00', 'a pair and a lone low one'],
    ['x\ud83d', 'a high surrogate at the end'],
    ['\u0000', 'NUL'],
    ['\u001b[31m', 'an escape sequence'],
    ['\u007f', 'DEL'],
  ])('refuses %p (%s)', (text) => {
    expect(hasInvalidCharacters(text)).toBe(true);
    expect(fieldsWithInvalidCharacters({ a: { b: [text] } })).toEqual(['a.b.0']);
    expect(fieldsWithInvalidCharacters({ [text]: 'x' })).toEqual([text]);
  });

  it.each(['Gent', 'tab\tand\r\nnew line', '😀 emoji', 'Zoë’s “quotes” – €', '\u202ertl', ''])('takes %p', (text) => {
    expect(hasInvalidCharacters(text)).toBe(false);
  });

  it('agrees with the rule read code unit by code unit, for any mix of surrogates and control characters', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
      fc.constantFrom('😀', 'é', '€'),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 8 }), (text) => hasInvalidCharacters(text) === breaksRule(text)),
      { numRuns: 5000 },
    );
  });
});
