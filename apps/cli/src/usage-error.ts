/** A command used the wrong way: the CLI prints its message and exits with 2. */
export class UsageError extends Error {}
