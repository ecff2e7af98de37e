import { ColumnRows, ColumnKinds } from './column-rows';

interface Row {
  id: number;
  name: string;
  province: string | null;
  cents: number;
}

const kinds: ColumnKinds<Row> = { id: 'number', name: 'text', province: 'text', cents: 'number' };
const source: Row[] = [
  { id: 1, name: 'Antwerpen', province: 'Antwerpen', cents: 9_007_199_254_740_991 },
  { id: 2, name: 'Brussel', province: null, cents: 0 },
  { id: 3, name: ['Antw', 'erpen'].join(''), province: '', cents: -5 },
];

describe('ColumnRows', () => {
  const rows = ColumnRows.from(kinds, source, (row) => row);

  it('gives back every row as it was: texts, null, the empty text, integers up to 2^53 and negatives', () => {
    expect(rows.length).toBe(3);
    expect([...rows]).toEqual(source);
    expect(rows.slice(1, 2)).toEqual([{ id: 2, name: 'Brussel', province: null, cents: 0 }]);
    expect(JSON.parse(JSON.stringify({ rows }))).toEqual({ rows: source });
  });

  it('converts each source row once and keeps what the conversion gave', () => {
    let calls = 0;
    const converted = ColumnRows.from(kinds, [{ n: 7 }, { n: 8 }], (raw) => {
      calls++;
      return { id: raw.n, name: `nr ${raw.n}`, province: null, cents: raw.n * 100 };
    });
    expect(calls).toBe(2);
    expect([...converted, ...converted.slice(), ...converted.map((row) => row)]).toHaveLength(6);
    expect(calls).toBe(2);
    expect(converted.slice(1)).toEqual([{ id: 8, name: 'nr 8', province: null, cents: 800 }]);
  });

  it('slices and maps as an array does', () => {
    for (const [start, end] of [
      [0, 2],
      [1, undefined],
      [2, 10],
      [5, 9],
      [-2, undefined],
      [2, 1],
    ] as const)
      expect(rows.slice(start, end)).toEqual(source.slice(start, end));
    expect(rows.map((row, index) => `${index}:${row.name}`)).toEqual(['0:Antwerpen', '1:Brussel', '2:Antwerpen']);
  });

  it('makes a new object on every read, so a reader cannot change what is kept', () => {
    const [first] = rows.slice(0, 1);
    first.name = 'changed';
    expect([...rows][0].name).toBe('Antwerpen');
  });

  it('keeps no rows for an empty source', () => {
    const none = ColumnRows.from(kinds, [], (row: Row) => row);
    expect(none.length).toBe(0);
    expect(none.slice()).toEqual([]);
    expect([...none]).toEqual([]);
  });
});
