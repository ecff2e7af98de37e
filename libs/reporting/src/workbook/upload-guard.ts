/**
 * One workbook upload per user at a time, and at most `perProcess` in this process: a second one is refused at once
 * instead of waiting for the parser. The guard is in-process; see docs/security.md ("Uploads") for why that suffices.
 */
export class UploadGuard {
  private readonly busy = new Set<string>();

  constructor(private readonly perProcess: number) {}

  /** A release function when the key may start an upload now; 'user' or 'process' when it is refused, and why. */
  enter(key: string): (() => void) | 'user' | 'process' {
    if (this.busy.has(key)) return 'user';
    if (this.busy.size >= this.perProcess) return 'process';
    this.busy.add(key);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy.delete(key);
    };
  }
}
