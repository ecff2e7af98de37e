import { validateSync } from 'class-validator';
import { INVALID_CHARACTERS } from './hostile-input';
import { IsValidText } from './validators';

class Cell {
  @IsValidText() text: unknown;
}

const errorsOf = (text: unknown) => validateSync(Object.assign(new Cell(), { text })).flatMap((error) => Object.values(error.constraints ?? {}));

describe('IsValidText: the text rule as a class-validator check (for workbook cells)', () => {
  it.each(['a\u0000b', 'x\u0007', '\ud800', 'a\udc00', '\udc00\ud800'])('refuses %p with the Dutch message', (text) => {
    expect(errorsOf(text)).toEqual([INVALID_CHARACTERS]);
  });

  it.each(['Gent', 'lijn\r\n\tlijn', '😀', '', 42, null])('takes %p (a value that is no text is left to the type check)', (text) => {
    expect(errorsOf(text)).toEqual([]);
  });
});
