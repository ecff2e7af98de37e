import fc from 'fast-check';
import { balanceAfterReclaim, DEFAULT_RECLAIM_POLICY, ReclaimLineInput, ReclaimPolicy, reclaimFor, settlementReclaim } from './reclaim';

const line = (overrides: Partial<ReclaimLineInput>): ReclaimLineInput => ({
  kpiLineId: 1,
  confirmedQuantity: 100,
  realisedQuantity: 100,
  allocatedCents: 10_000_00,
  waived: false,
  ...overrides,
});

const policy = (tolerancePercent: number): ReclaimPolicy => ({ kind: 'pro-rata-unrealised', tolerancePercent });

describe('reclaim pro rata to the unrealised share', () => {
  it('tolerates 10 % by default', () => {
    expect(DEFAULT_RECLAIM_POLICY).toEqual({ kind: 'pro-rata-unrealised', tolerancePercent: 10 });
  });

  it('reclaims nothing when the line is realised within the tolerance, the edge included', () => {
    const [atEdge] = reclaimFor([line({ realisedQuantity: 90 })], DEFAULT_RECLAIM_POLICY).lines;
    expect(atEdge).toEqual({ kpiLineId: 1, unrealisedQuantity: 10, unrealisedPercent: 10, withinTolerance: true, waived: false, reclaimCents: 0 });
  });

  it('reclaims the whole unrealised share once beyond the tolerance, not only the excess', () => {
    // 11 of 100 unrealised: € 10.000,00 × 11 / 100 = € 1.100,00
    const result = reclaimFor([line({ realisedQuantity: 89 })], DEFAULT_RECLAIM_POLICY);
    expect(result.lines[0]).toMatchObject({ unrealisedQuantity: 11, unrealisedPercent: 11, withinTolerance: false, reclaimCents: 1_100_00 });
    expect(result.reclaimCents).toBe(1_100_00);
  });

  it('rounds down to the cent, in the applicant’s favour', () => {
    // 2 of 3 unrealised: 1000 × 2 / 3 = 666.67 cents → 666
    const [result] = reclaimFor([line({ confirmedQuantity: 3, realisedQuantity: 1, allocatedCents: 1000 })], DEFAULT_RECLAIM_POLICY).lines;
    expect(result).toMatchObject({ unrealisedQuantity: 2, unrealisedPercent: 66.67, reclaimCents: 666 });
  });

  it('computes exactly where floating point would round up', () => {
    // 9e15 × 4 / 7 = 5142857142857142.857…; doubles give …143
    const [result] = reclaimFor([line({ confirmedQuantity: 7, realisedQuantity: 3, allocatedCents: 9_000_000_000_000_000 })], policy(0)).lines;
    expect(result.reclaimCents).toBe(5_142_857_142_857_142);
  });

  it('gives no money for over-realisation and reclaims nothing on a line confirmed at 0', () => {
    const result = reclaimFor(
      [line({ kpiLineId: 1, realisedQuantity: 150 }), line({ kpiLineId: 2, confirmedQuantity: 0, realisedQuantity: 0, allocatedCents: 0 })],
      policy(0),
    );
    expect(result.lines.map((l) => [l.unrealisedQuantity, l.unrealisedPercent, l.reclaimCents])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(result.reclaimCents).toBe(0);
  });

  it('reclaims nothing on a waived line, and still shows what was unrealised', () => {
    const [result] = reclaimFor([line({ realisedQuantity: 0, waived: true })], DEFAULT_RECLAIM_POLICY).lines;
    expect(result).toMatchObject({ unrealisedQuantity: 100, unrealisedPercent: 100, withinTolerance: false, waived: true, reclaimCents: 0 });
  });

  it('follows the call’s tolerance, from 0 to 100 %', () => {
    expect(reclaimFor([line({ realisedQuantity: 99 })], policy(0)).reclaimCents).toBe(100_00);
    expect(reclaimFor([line({ realisedQuantity: 0 })], policy(100)).reclaimCents).toBe(0);
    expect(reclaimFor([line({ realisedQuantity: 0 })], policy(99)).reclaimCents).toBe(10_000_00);
  });

  it('adds up the lines', () => {
    const result = reclaimFor(
      [
        line({ kpiLineId: 1, realisedQuantity: 50 }), // 50 % → € 5.000,00
        line({ kpiLineId: 2, confirmedQuantity: 40, realisedQuantity: 30, allocatedCents: 8_400_00 }), // 25 % → € 2.100,00
        line({ kpiLineId: 3, realisedQuantity: 95 }), // within 10 %
      ],
      DEFAULT_RECLAIM_POLICY,
    );
    expect(result.lines.map((l) => l.reclaimCents)).toEqual([5_000_00, 2_100_00, 0]);
    expect(result.reclaimCents).toBe(7_100_00);
  });

  it('refuses what is not a whole, non-negative number, a duplicate line or an unknown rule', () => {
    const bad: Partial<ReclaimLineInput>[] = [
      { confirmedQuantity: -1 },
      { realisedQuantity: 1.5 },
      { allocatedCents: -1 },
      { allocatedCents: 0.5 },
      { confirmedQuantity: Number.NaN },
      { kpiLineId: -3 },
      { allocatedCents: Number.MAX_SAFE_INTEGER + 1 },
    ];
    for (const overrides of bad) expect(() => reclaimFor([line(overrides)], DEFAULT_RECLAIM_POLICY)).toThrow(RangeError);
    expect(() => reclaimFor([line({}), line({})], DEFAULT_RECLAIM_POLICY)).toThrow(RangeError);
    for (const tolerance of [-1, 101, 10.5, Number.NaN]) expect(() => reclaimFor([line({})], policy(tolerance))).toThrow(RangeError);
    expect(() => reclaimFor([], { kind: 'flat' } as unknown as ReclaimPolicy)).toThrow(RangeError);
  });

  it('keeps every line between 0 and its allocation, exact to the cent, and sums exactly', () => {
    const lineInput = fc.record({
      kpiLineId: fc.nat(),
      confirmedQuantity: fc.nat({ max: 1_000_000 }),
      realisedQuantity: fc.nat({ max: 2_000_000 }),
      allocatedCents: fc.nat({ max: 100_000_000_00 }),
      waived: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(lineInput, { selector: (l) => l.kpiLineId, maxLength: 30 }), fc.integer({ min: 0, max: 100 }), (lines, tolerance) => {
        const result = reclaimFor(lines, policy(tolerance));
        result.lines.forEach((out, i) => {
          const input = lines[i];
          expect(out.reclaimCents).toBeGreaterThanOrEqual(0);
          expect(out.reclaimCents).toBeLessThanOrEqual(input.allocatedCents);
          if (out.reclaimCents > 0) {
            const exact = BigInt(input.allocatedCents) * BigInt(out.unrealisedQuantity);
            expect(BigInt(out.reclaimCents) * BigInt(input.confirmedQuantity) <= exact).toBe(true);
            expect(BigInt(out.reclaimCents + 1) * BigInt(input.confirmedQuantity) > exact).toBe(true);
          }
        });
        expect(result.reclaimCents).toBe(result.lines.reduce((sum, l) => sum + l.reclaimCents, 0));
      }),
    );
  });
});

describe('balance after reclaim', () => {
  it('pays what the advance and the reclaim leave', () => {
    expect(balanceAfterReclaim(10_000_00, 8_000_00, 1_100_00)).toEqual({ balanceCents: 900_00, toPayCents: 900_00, toRecoverCents: 0 });
    expect(balanceAfterReclaim(10_000_00, 8_000_00, 0)).toEqual({ balanceCents: 2_000_00, toPayCents: 2_000_00, toRecoverCents: 0 });
  });

  it('recovers from the applicant when the reclaim exceeds the balance', () => {
    expect(balanceAfterReclaim(10_000_00, 8_000_00, 5_000_00)).toEqual({ balanceCents: -3_000_00, toPayCents: 0, toRecoverCents: 3_000_00 });
  });

  it('neither pays nor recovers when it comes out even', () => {
    expect(balanceAfterReclaim(10_000_00, 8_000_00, 2_000_00)).toEqual({ balanceCents: 0, toPayCents: 0, toRecoverCents: 0 });
  });

  it('refuses negative or fractional amounts and a reclaim above the allocation', () => {
    expect(() => balanceAfterReclaim(-1, 0, 0)).toThrow(RangeError);
    expect(() => balanceAfterReclaim(100, 0.5, 0)).toThrow(RangeError);
    expect(() => balanceAfterReclaim(100, 0, -1)).toThrow(RangeError);
    expect(() => balanceAfterReclaim(100, 0, 101)).toThrow(RangeError);
  });

  it('always pays or recovers exactly the balance', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e12 }), fc.nat({ max: 1e12 }), fc.nat({ max: 1e12 }), (allocated, advance, reclaimSeed) => {
        const reclaim = reclaimSeed % (allocated + 1);
        const { balanceCents, toPayCents, toRecoverCents } = balanceAfterReclaim(allocated, advance, reclaim);
        return balanceCents === allocated - advance - reclaim && toPayCents - toRecoverCents === balanceCents && Math.min(toPayCents, toRecoverCents) === 0;
      }),
    );
  });
});

describe("a settlement line under its call's rule (settlementReclaim)", () => {
  const settlementLine = (realisedQuantity: number | null) => ({
    kpiLineId: 1,
    confirmedQuantity: 100,
    realisedQuantity,
    allocatedCents: 10_000_00,
    waived: false,
  });

  it('reclaims pro rata beyond the tolerance under the rule "pro-rata"', () => {
    expect(settlementReclaim(settlementLine(50), { kind: 'pro-rata', tolerancePercent: 10 })).toEqual({
      kpiLineId: 1,
      unrealisedQuantity: 50,
      unrealisedPercent: 50,
      withinTolerance: false,
      waived: false,
      reclaimCents: 5_000_00,
    });
  });

  it('reclaims nothing under the rule "none", and still shows the unrealised share', () => {
    expect(settlementReclaim(settlementLine(50), { kind: 'none', tolerancePercent: 10 })).toMatchObject({
      unrealisedQuantity: 50,
      withinTolerance: false,
      reclaimCents: 0,
    });
  });

  it('counts a line without a final realised quantity as fully realised', () => {
    expect(settlementReclaim(settlementLine(null), { kind: 'pro-rata', tolerancePercent: 0 })).toEqual({
      kpiLineId: 1,
      unrealisedQuantity: 0,
      unrealisedPercent: 0,
      withinTolerance: true,
      waived: false,
      reclaimCents: 0,
    });
  });
});
