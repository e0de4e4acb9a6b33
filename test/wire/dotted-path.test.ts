import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeKeySegment, splitDottedPath, unescapeKeySegment } from '../../src/wire';

describe('(dot) escaping', () => {
  it('escapes every dot of a key', () => {
    expect(escapeKeySegment('archive.tar.gz')).toBe('archive(dot)tar(dot)gz');
  });

  it('leaves a key without dots as it is', () => {
    expect(escapeKeySegment('size_bytes')).toBe('size_bytes');
  });

  it('unescapes every (dot) of a key', () => {
    expect(unescapeKeySegment('archive(dot)tar(dot)gz')).toBe('archive.tar.gz');
  });

  it('splits a dotted path and unescapes each segment', () => {
    expect(splitDottedPath('files.archive(dot)tar.0')).toEqual(['files', 'archive.tar', '0']);
  });

  it('keeps empty segments', () => {
    expect(splitDottedPath('a..b.')).toEqual(['a', '', 'b', '']);
  });

  it('splits a path of escaped segments back into the original keys', () => {
    const segment = fc.string({ unit: fc.constantFrom('a', '.', '(', ')', 'd', 'o', 't', 'é') });
    fc.assert(
      fc.property(
        fc.array(
          segment.filter((key) => !key.includes('(dot)')),
          { minLength: 1 },
        ),
        (keys) => {
          expect(splitDottedPath(keys.map(escapeKeySegment).join('.'))).toEqual(keys);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
