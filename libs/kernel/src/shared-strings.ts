/**
 * One copy of each text among many rows read from the database. node-postgres makes a new string for every cell, so
 * a hundred thousand rows that name 5 provinces hold a hundred thousand copies of their names; kept for long (figures
 * kept per data version), each copy is memory and work for every full garbage collection. `of` gives back the first string equal to the one
 * given, so the copies can go. Use one per computation: it keeps every distinct text it saw.
 */
export class SharedStrings {
  private readonly seen = new Map<string, string>();

  of<T extends string | null>(text: T): T {
    if (text === null) return text;
    const kept = this.seen.get(text);
    if (kept !== undefined) return kept as T;
    this.seen.set(text, text);
    return text;
  }

  /** How many distinct texts it holds. */
  get size(): number {
    return this.seen.size;
  }
}
