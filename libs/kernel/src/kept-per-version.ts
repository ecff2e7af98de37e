import { BoundedMap } from './bounded-map';

/**
 * What a process derives from whole tables, kept per key for as long as those tables' version stays the same
 * (docs/architecture.md, "What is kept between requests"). The caller reads the version before the data, so a change
 * in between only makes the next call make it again. At most `limit` keys, the least recently used forgotten first.
 */
export class KeptPerVersion<V> {
  private readonly kept: BoundedMap<string, { version: string; value: V }>;

  constructor(limit: number) {
    this.kept = new BoundedMap(limit);
  }

  /** The value kept for `key` at `version`, or else the one `make` makes, kept from then on. */
  async get(key: string, version: string | number, make: () => Promise<V>): Promise<V> {
    const kept = this.kept.get(key);
    if (kept?.version === String(version)) return kept.value;
    const value = await make();
    this.kept.set(key, { version: String(version), value });
    return value;
  }
}
