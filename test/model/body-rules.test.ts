import { describe, expect, it } from 'vitest';
import {
  capLog,
  checkJsonBody,
  MAX_LOG_BYTES,
  MAX_LOG_ENTRIES,
  MAX_NESTING_DEPTH,
  parseLogBody,
} from '#protocol';

/** `{"a":{"a":...}}`, `depth` levels of objects, parsed (JSON.parse does not recurse). */
const nested = (depth: number): unknown =>
  JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('checkJsonBody', () => {
  it(`accepts ${MAX_NESTING_DEPTH} levels of nesting`, () => {
    expect(() => checkJsonBody(nested(MAX_NESTING_DEPTH))).not.toThrow();
  });

  it('refuses one level more, naming the limit', () => {
    expect(() => checkJsonBody(nested(MAX_NESTING_DEPTH + 1))).toThrow(
      `The body is nested deeper than ${MAX_NESTING_DEPTH} levels at a.a.a.a.a.a…`,
    );
  });

  it('refuses 200,000 levels without overflowing the stack', () => {
    expect(() => checkJsonBody(nested(200_000))).toThrow(
      expect.objectContaining({ code: 'invalid_body' }),
    );
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses "%s" as a key at any depth',
    (key) => {
      const body = JSON.parse(`{"service_fields":{"list":[{"${key}":1}]}}`) as unknown;
      expect(() => checkJsonBody(body)).toThrow(
        `The key "${key}" at service_fields.list.0.${key} is not allowed (prototype pollution)`,
      );
    },
  );

  it('accepts those words as values', () => {
    expect(() => checkJsonBody({ job_name: '__proto__', list: ['constructor'] })).not.toThrow();
  });

  it('refuses a NUL character in a string value or a key', () => {
    expect(() => checkJsonBody({ a: ['x\u0000'] })).toThrow('The string at a.0 contains a NUL');
    expect(() => checkJsonBody({ a: { 'k\u0000': 1 } })).toThrow('A key inside a contains a NUL');
  });

  it('refuses a lone surrogate and accepts a pair', () => {
    expect(() => checkJsonBody({ a: '\ud800' })).toThrow('lone UTF-16 surrogate');
    expect(() => checkJsonBody({ a: 'x\udc00' })).toThrow('lone UTF-16 surrogate');
    expect(() => checkJsonBody({ a: '😀' })).not.toThrow();
  });
});

describe('capLog', () => {
  const entry = (i: number, size = 10) => ({ message: `m${i}`, data: 'x'.repeat(size) });

  it(`keeps the newest ${MAX_LOG_ENTRIES} entries, dropping the oldest`, () => {
    const entries = Array.from({ length: MAX_LOG_ENTRIES + 3 }, (_, i) => entry(i));
    const kept = capLog(entries);
    expect(kept).toHaveLength(MAX_LOG_ENTRIES);
    expect(kept[0]).toEqual(entry(3));
    expect(kept.at(-1)).toEqual(entry(MAX_LOG_ENTRIES + 2));
  });

  it('keeps the newest entries that fit the byte cap', () => {
    const size = 100 * 1024;
    const entries = Array.from({ length: 15 }, (_, i) => entry(i, size));
    const kept = capLog(entries);
    const bytes = kept.reduce<number>((sum, e) => sum + JSON.stringify(e).length, 0);
    expect(bytes).toBeLessThanOrEqual(MAX_LOG_BYTES);
    expect(bytes + JSON.stringify(entries[15 - kept.length - 1]).length).toBeGreaterThan(
      MAX_LOG_BYTES,
    );
    expect(kept.at(-1)).toEqual(entry(14, size));
  });

  it('keeps a log under both caps as it is', () => {
    const entries = [entry(1), entry(2)];
    expect(capLog(entries)).toEqual(entries);
  });
});

describe('parseLogBody', () => {
  it('refuses an entry over 64 KiB with payload_too_large naming logEntryBytes', () => {
    expect(() =>
      parseLogBody({ level: 'info', message: 'm', data: 'x'.repeat(64 * 1024) }),
    ).toThrow(
      expect.objectContaining({
        code: 'payload_too_large',
        message: expect.stringContaining('logEntryBytes'),
      }),
    );
  });
});
