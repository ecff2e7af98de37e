import fc from 'fast-check';
import { reachesInterimThreshold } from './interim-threshold';

describe('the 25 % rule (reachesInterimThreshold)', () => {
  it('is reached at exactly the threshold and not one unit below it', () => {
    expect(reachesInterimThreshold(100, 25, 25)).toBe(true);
    expect(reachesInterimThreshold(100, 24, 25)).toBe(false);
    expect(reachesInterimThreshold(4, 1, 25)).toBe(true);
    expect(reachesInterimThreshold(9, 2, 25)).toBe(false);
    expect(reachesInterimThreshold(1000, 249, 25)).toBe(false);
  });

  it('is always reached for a confirmed quantity of 0, and follows a call with another threshold', () => {
    expect(reachesInterimThreshold(0, 0, 25)).toBe(true);
    expect(reachesInterimThreshold(10, 3, 30)).toBe(true);
    expect(reachesInterimThreshold(10, 3, 31)).toBe(false);
  });

  it('agrees with the exact fraction for every quantity and threshold, without rounding', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.integer({ min: 0, max: 100 }), (confirmed, realised, percent) => {
        expect(reachesInterimThreshold(confirmed, realised, percent)).toBe(BigInt(realised) * 100n >= BigInt(confirmed) * BigInt(percent));
      }),
    );
  });
});
