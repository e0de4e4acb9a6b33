import { describe, expect, it } from 'vitest';
import { median, medianRound, percentile, pairedRatio } from '../lib/stats';

describe('percentile', () => {
  it('takes the nearest rank of an unsorted list', () => {
    expect(percentile([50, 10, 40, 20, 30], 0.4)).toBe(20);
  });

  it('answers the largest value for p99 of fewer than 100 values', () => {
    expect(percentile([3, 9, 1, 7], 0.99)).toBe(9);
  });

  it('answers NaN for no values', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('median', () => {
  it('answers the lower middle of an even count, a value that occurred', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });
});

describe('medianRound', () => {
  it('picks the whole round whose key is the median', () => {
    const rounds = [
      { perSecond: 300, p99: 9 },
      { perSecond: 100, p99: 1 },
      { perSecond: 200, p99: 5 },
    ];
    expect(medianRound(rounds, (round) => round.perSecond)).toEqual({ perSecond: 200, p99: 5 });
  });
});

describe('pairedRatio', () => {
  it('takes the median of each round over the same round of the baseline', () => {
    // Round by round: 2, 1 and 3; the ratio of the two medians would be 3.
    expect(pairedRatio([2, 9, 3], [1, 9, 1])).toBe(2);
  });
});
