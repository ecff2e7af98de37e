const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * A table or column name about to be written into SQL text. Names come from code, never from input;
 * this refuses anything else loudly (a programming error, not a user's), so a future caller that
 * passes input through cannot turn it into SQL.
 */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a plain SQL identifier: ${JSON.stringify(name)}`);
  return name;
}
