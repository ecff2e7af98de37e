/** A json or jsonb value as a driver gives it: pg and PGlite parse it; a string is parsed here should one leave it as text. */
export function jsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
