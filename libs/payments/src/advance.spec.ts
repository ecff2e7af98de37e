import { advanceAndBalance, balancePercent, DEFAULT_ADVANCE_PERCENT } from './advance';

describe('advance and balance', () => {
  it('pays 80 % up front by default and the rest after the final report', () => {
    expect(advanceAndBalance(10_000_00, DEFAULT_ADVANCE_PERCENT)).toEqual({ advanceCents: 8_000_00, balanceCents: 2_000_00 });
    expect(balancePercent(DEFAULT_ADVANCE_PERCENT)).toBe(20);
  });

  it('rounds the advance down to the cent; advance and balance add up exactly', () => {
    const { advanceCents, balanceCents } = advanceAndBalance(12_345, 80);
    expect(advanceCents).toBe(9_876);
    expect(balanceCents).toBe(2_469);
    expect(advanceCents + balanceCents).toBe(12_345);
  });

  it('follows the call’s own percentage, including the edges', () => {
    expect(advanceAndBalance(99_999, 75)).toEqual({ advanceCents: 74_999, balanceCents: 25_000 });
    expect(advanceAndBalance(50_000, 100)).toEqual({ advanceCents: 50_000, balanceCents: 0 });
    expect(advanceAndBalance(50_000, 0)).toEqual({ advanceCents: 0, balanceCents: 50_000 });
    expect(advanceAndBalance(0, 80)).toEqual({ advanceCents: 0, balanceCents: 0 });
  });

  it('adds up exactly for every amount and percentage', () => {
    for (let total = 0; total < 2_000; total += 7) {
      for (const percent of [0, 1, 33, 50, 79, 80, 99, 100]) {
        const { advanceCents, balanceCents } = advanceAndBalance(total, percent);
        expect(advanceCents + balanceCents).toBe(total);
        expect(advanceCents).toBeLessThanOrEqual((total * percent) / 100);
        expect(Number.isInteger(advanceCents)).toBe(true);
      }
    }
  });
});
