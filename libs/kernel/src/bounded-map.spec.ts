import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('forgets the least recently used entry beyond its limit', () => {
    const map = new BoundedMap<number, string>(2);
    map.set(1, 'a');
    map.set(2, 'b');
    expect(map.get(1)).toBe('a'); // 2 is now the least recently used
    map.set(3, 'c');
    expect(map.get(2)).toBeUndefined();
    expect(map.get(1)).toBe('a');
    expect(map.get(3)).toBe('c');
    expect(map.size).toBe(2);
  });

  it('replaces, deletes and clears', () => {
    const map = new BoundedMap<string, number>(10);
    map.set('x', 1);
    map.set('x', 2);
    expect(map.get('x')).toBe(2);
    expect(map.size).toBe(1);
    map.delete('x');
    expect(map.get('x')).toBeUndefined();
    map.set('y', 3);
    map.clear();
    expect(map.size).toBe(0);
  });
});
