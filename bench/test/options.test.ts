import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../lib/options';

describe('parseBenchArgs', () => {
  it('runs every section with the full counts by default', () => {
    expect(parseBenchArgs([])).toEqual({
      quick: false,
      sections: ['calls', 'decode', 'encode', 'server', 'postgres', 'workers', 'bundle'],
      rounds: 7,
      calls: 3000,
      outFile: 'bench/results/latest.json',
      million: false,
    });
  });

  it('lowers the counts with --quick', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject({ quick: true, rounds: 3, calls: 300 });
  });

  it('keeps the sections named by --only in the order they run', () => {
    expect(parseBenchArgs(['--only', 'server,calls'])).toMatchObject({
      sections: ['calls', 'server'],
    });
  });

  it('refuses a section it does not know, naming it', () => {
    expect(() => parseBenchArgs(['--only', 'decoding'])).toThrow(/"decoding"/);
  });

  it('refuses a round count that is not a positive integer', () => {
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(/--rounds/);
  });

  it('answers help for --help', () => {
    expect(parseBenchArgs(['--help'])).toBe('help');
  });
});
