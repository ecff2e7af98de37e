/** The one source of "now", so deadline logic can be tested by swapping it. Provided by config's ClockModule. */
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until moved; for tests. */
export class FixedClock extends Clock {
  constructor(private instant: Date) {
    super();
  }
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date): void {
    this.instant = instant;
  }
}
