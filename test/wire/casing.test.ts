import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCamelKey, toLegacyDottedKey, toSnakeKey } from '../../src/wire';

// The legacy client's rules (humps 2), written the slow, obvious way, as a reference.
function humpsSnake(key: string): string {
  if (key.startsWith('$') || !Number.isNaN(Number(key))) return key;
  return key
    .split(/(?=[A-Z])/)
    .join('_')
    .toLowerCase();
}

function humpsCamel(key: string): string {
  if (key.startsWith('$') || !Number.isNaN(Number(key))) return key;
  const joined = key.replace(/[-_\s]+(.)?/g, (_match, next: string | undefined) =>
    next ? next.toUpperCase() : '',
  );
  return joined.slice(0, 1).toLowerCase() + joined.slice(1);
}

const keyCharacters = fc.constantFrom(...'aAbBzZ09_- \t$.ÄäßİΣ😀\u00a0\u2028');
const arbitraryKey = fc.string({ unit: keyCharacters, maxLength: 12 });

describe('toSnakeKey', () => {
  it('splits a camelCase key before each capital and lower-cases it', () => {
    expect(toSnakeKey('originalPath')).toBe('original_path');
  });

  it('splits every capital of an acronym, as the legacy client did', () => {
    expect(toSnakeKey('fileID')).toBe('file_i_d');
  });

  it('lower-cases a leading capital without putting an underscore before it', () => {
    expect(toSnakeKey('FileName')).toBe('file_name');
  });

  it('leaves a key that is already snake_case unchanged', () => {
    expect(toSnakeKey('size_bytes')).toBe('size_bytes');
  });

  it('leaves keys starting with $ unchanged', () => {
    expect(toSnakeKey('$someOperator')).toBe('$someOperator');
  });

  it('leaves numeric keys unchanged', () => {
    expect([toSnakeKey('10'), toSnakeKey('1E3')]).toEqual(['10', '1E3']);
  });

  it('lower-cases capitals beyond ASCII without splitting before them', () => {
    expect(toSnakeKey('ÄpfelBirneÖl')).toBe('äpfel_birneöl');
  });

  it('agrees with the legacy rules on arbitrary keys', () => {
    fc.assert(
      fc.property(arbitraryKey, (key) => {
        expect(toSnakeKey(key)).toBe(humpsSnake(key));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('toLegacyDottedKey', () => {
  it('puts an underscore before a capital that starts a segment, as the legacy client did', () => {
    expect(toLegacyDottedKey('service_fields.Plate.WellID')).toBe(
      'service_fields._plate._well_i_d',
    );
  });

  it('converts the capitals around an escaped dot inside a key', () => {
    expect(toLegacyDottedKey('service_fields.A(dot)B')).toBe('service_fields._a(dot)_b');
  });

  it('splits before the capitals of a segment that starts with a digit', () => {
    expect(toLegacyDottedKey('service_fields.1A.2')).toBe('service_fields.1_a.2');
  });

  it('leaves a key without capitals unchanged', () => {
    expect(toLegacyDottedKey('service_fields.size_bytes.0')).toBe('service_fields.size_bytes.0');
  });

  it("agrees with humps' decamelize of the whole key on arbitrary keys", () => {
    const humpsDecamelize = (key: string) =>
      key
        .split(/(?=[A-Z])/)
        .join('_')
        .toLowerCase();
    fc.assert(
      fc.property(arbitraryKey, (key) => {
        const dotted = `service_fields.${key}`;
        expect(toLegacyDottedKey(dotted)).toBe(humpsDecamelize(dotted));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('toCamelKey', () => {
  it('drops each underscore and capitalises the next character', () => {
    expect(toCamelKey('original_path')).toBe('originalPath');
  });

  it('turns file_i_d back into fileID', () => {
    expect(toCamelKey('file_i_d')).toBe('fileID');
  });

  it('treats runs of hyphens, underscores and whitespace as one separator', () => {
    expect([toCamelKey('my-key'), toCamelKey('my  key'), toCamelKey('my_-\tkey')]).toEqual([
      'myKey',
      'myKey',
      'myKey',
    ]);
  });

  it('lower-cases the first character', () => {
    expect(toCamelKey('File_name')).toBe('fileName');
  });

  it('drops a separator at either end of the key', () => {
    expect([toCamelKey('_private'), toCamelKey('trailing_')]).toEqual(['private', 'trailing']);
  });

  it('maps my_key and "my key" to the same key (the lossy legacy default)', () => {
    expect(toCamelKey('my key')).toBe(toCamelKey('my_key'));
  });

  it('leaves keys starting with $ unchanged', () => {
    expect(toCamelKey('$not_converted')).toBe('$not_converted');
  });

  it('leaves numeric keys unchanged', () => {
    expect([toCamelKey('12'), toCamelKey('-1.5'), toCamelKey(' ')]).toEqual(['12', '-1.5', ' ']);
  });

  it('agrees with the legacy rules on arbitrary keys', () => {
    fc.assert(
      fc.property(arbitraryKey, (key) => {
        expect(toCamelKey(key)).toBe(humpsCamel(key));
      }),
      { numRuns: 5000 },
    );
  });

  it('answers the same after converting more distinct keys than its cache holds', () => {
    const first = toCamelKey('cache_probe_key');
    for (let index = 0; index < 5000; index++) toCamelKey(`filler_key_${index}_x`);
    expect(toCamelKey('cache_probe_key')).toBe(first);
    expect(first).toBe('cacheProbeKey');
  });
});

describe('casing round trips', () => {
  it('brings a camelCase key without digits back unchanged through snake_case', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-zA-Z]{0,15}$/), (key) => {
        expect(toCamelKey(toSnakeKey(key))).toBe(key);
      }),
      { numRuns: 5000 },
    );
  });

  it('brings a snake_case key without digits back unchanged through camelCase', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,5}(?:_[a-z]{1,5}){0,4}$/), (key) => {
        expect(toSnakeKey(toCamelKey(key))).toBe(key);
      }),
      { numRuns: 5000 },
    );
  });
});
