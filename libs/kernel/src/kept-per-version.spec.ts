import { KeptPerVersion } from './kept-per-version';

describe('KeptPerVersion', () => {
  it('makes a value once per key and version, and again when the version changes', async () => {
    const kept = new KeptPerVersion<string>(10);
    const made: string[] = [];
    const make = (value: string) => async () => (made.push(value), value);
    expect(await kept.get('a', 1, make('a1'))).toBe('a1');
    expect(await kept.get('a', 1, make('again'))).toBe('a1');
    expect(await kept.get('b', 1, make('b1'))).toBe('b1');
    expect(await kept.get('a', 2, make('a2'))).toBe('a2');
    expect(await kept.get('a', '2', make('again'))).toBe('a2'); // a version read as text or as a number is the same
    expect(await kept.get('a', 1, make('a1 again'))).toBe('a1 again'); // never an older value back
    expect(made).toEqual(['a1', 'b1', 'a2', 'a1 again']);
  });

  it('keeps at most its limit of keys, the least recently used forgotten first', async () => {
    const kept = new KeptPerVersion<number>(2);
    let made = 0;
    const make = async () => ++made;
    await kept.get('a', 1, make);
    await kept.get('b', 1, make);
    await kept.get('a', 1, make); // a is used again: b is now the least recently used
    await kept.get('c', 1, make);
    expect(await kept.get('a', 1, make)).toBe(1);
    expect(await kept.get('b', 1, make)).toBe(4);
    expect(made).toBe(4);
  });

  it('keeps nothing when making fails', async () => {
    const kept = new KeptPerVersion<string>(2);
    await expect(kept.get('a', 1, async () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await kept.get('a', 1, async () => 'made')).toBe('made');
  });
});
