/** What readers of a long list of rows use: a plain array has it, and so has `ColumnRows`. */
export interface RowList<T> extends Iterable<T> {
  readonly length: number;
  slice(start?: number, end?: number): T[];
  map<U>(convert: (row: T, index: number) => U): U[];
}

type Field = string | number | null;

/** How each field is kept: `number` (an integer or cents, exact up to 2^53) or `text` (a string or null). */
export type ColumnKinds<T> = { [K in keyof T]: T[K] extends number ? 'number' : T[K] extends string | null ? 'text' : never };

/**
 * Many rows kept for long (figures kept per data version) as one column per field instead of one object per row: the
 * numbers in a Float64Array, each text as its index into one list of the distinct texts. The columns are not on the
 * JavaScript heap, so a full garbage collection, which walks and moves everything kept there, has a few thousand texts
 * to handle instead of hundreds of thousands of objects. A row is made again, as a new object, each time it is read.
 */
export class ColumnRows<T extends Record<keyof T, Field>> implements RowList<T> {
  private constructor(
    private readonly fields: (keyof T)[],
    private readonly isText: boolean[],
    private readonly columns: (Float64Array | Uint32Array)[],
    private readonly texts: (string | null)[],
    readonly length: number,
  ) {}

  /** The rows `source` converts to, kept as columns; the converted rows are not kept. */
  static from<S, T extends Record<keyof T, Field>>(kinds: ColumnKinds<T>, source: readonly S[], convert: (row: S) => T): ColumnRows<T> {
    const fields = Object.keys(kinds) as (keyof T)[];
    const isText = fields.map((field) => kinds[field] === 'text');
    const columns = isText.map((text) => (text ? new Uint32Array(source.length) : new Float64Array(source.length)));
    const texts: (string | null)[] = [null];
    const textIndex = new Map<string, number>();
    const indexOf = (text: string | null) => {
      if (text === null) return 0;
      let index = textIndex.get(text);
      if (index === undefined) {
        index = texts.push(text) - 1;
        textIndex.set(text, index);
      }
      return index;
    };
    source.forEach((sourceRow, rowIndex) => {
      const row = convert(sourceRow);
      fields.forEach((field, f) => {
        const value = row[field];
        columns[f][rowIndex] = isText[f] ? indexOf(value as string | null) : (value as number);
      });
    });
    return new ColumnRows(fields, isText, columns, texts, source.length);
  }

  slice(start = 0, end = this.length): T[] {
    const [from, to] = [bound(start, this.length), bound(end, this.length)];
    return Array.from({ length: Math.max(0, to - from) }, (_, i) => this.at(from + i));
  }

  map<U>(convert: (row: T, index: number) => U): U[] {
    return Array.from({ length: this.length }, (_, i) => convert(this.at(i), i));
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /** As JSON it is the array of its rows. */
  toJSON(): T[] {
    return this.slice();
  }

  private at(index: number): T {
    const row = {} as Record<keyof T, Field>;
    this.fields.forEach((field, f) => {
      const value = this.columns[f][index];
      row[field] = this.isText[f] ? this.texts[value] : value;
    });
    return row as T;
  }
}

/** `slice`'s reading of a start or end: negative counts from the end. */
function bound(index: number, length: number): number {
  return index < 0 ? Math.max(0, length + index) : Math.min(index, length);
}
