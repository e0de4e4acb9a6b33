import { describe, expect, it } from 'vitest';
import { colorsEnabled, describeConnection, redact } from '../../cli/context';
import { configPath } from '../../cli/config';
import { exitCodeOfStatus } from '../../cli/errors';
import { progressBar, relativeTime } from '../../cli/render';

const now = Date.parse('2026-01-01T12:00:00Z');
const before = (ms: number) => new Date(now - ms);

describe('relativeTime', () => {
  it.each([
    [0, 'now'],
    [400, 'now'],
    [5_000, '5 sec. ago'],
    [90_000, '1 min. ago'],
    [3 * 3600_000, '3 hr. ago'],
    [2 * 24 * 3600_000, '2 days ago'],
  ])('shows %i ms ago as %s', (ms, text) => {
    expect(relativeTime(before(ms), now)).toBe(text);
  });
});

describe('progressBar', () => {
  it('fills the share done', () => {
    expect(progressBar({ completed: 1, total: 4, percent: 25 }, 8)).toBe('██░░░░░░  25%');
  });

  it('is empty without progress', () => {
    expect(progressBar(null)).toBe('');
  });
});

describe('colorsEnabled', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true };

  it.each([
    [{}, tty, true],
    [{}, pipe, false],
    [{ TERM: 'dumb' }, tty, false],
    [{ NO_COLOR: '1' }, tty, false],
    [{ FORCE_COLOR: '1' }, pipe, true],
    [{ FORCE_COLOR: '0' }, tty, false],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, pipe, false],
  ])('decides %j on %o: %s', (env, stream, enabled) => {
    expect(colorsEnabled(env, stream)).toBe(enabled);
  });
});

describe('the token in output', () => {
  it('is replaced wherever it appears', () => {
    expect(redact('Bearer s3cret and s3cret', 's3cret')).toBe('Bearer [redacted] and [redacted]');
  });

  it('is described as set, with its source only', () => {
    const line = describeConnection(
      { url: 'http://h/jss', token: 's3cret' },
      { url: 'flag', token: 'JSS_TOKEN', user: undefined },
    );
    expect(line).toBe('url=http://h/jss (from flag) user=(none) token=set (from JSS_TOKEN)');
  });
});

describe('configPath', () => {
  it('uses XDG_CONFIG_HOME when set', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x', HOME: '/home/u' }, 'linux')).toBe(
      '/x/jss/config.json',
    );
  });

  it('falls back to ~/.config', () => {
    expect(configPath({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/jss/config.json');
  });

  it('uses APPDATA on Windows', () => {
    expect(configPath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toMatch(
      /^C:\\Users\\u\\AppData\\Roaming[\\/]jss[\\/]config\.json$/,
    );
  });
});

describe('exitCodeOfStatus', () => {
  it.each([
    ['SUCCEEDED', 0],
    ['FAILED', 10],
    ['UNRECOVERABLE', 11],
    ['ABORTED', 12],
    ['ARCHIVED', 13],
  ])('maps %s to %i', (status, code) => {
    expect(exitCodeOfStatus(status)).toBe(code);
  });
});
