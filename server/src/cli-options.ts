import { parseArgs } from 'node:util';
import { AUTH_MODES, type AuthMode } from './auth/middleware';
import type { ServerOptions } from './index';

/** What `jss-server --help` prints. */
export const USAGE = `Usage: jss-server [options]
       jss-server token create --user <name> --role <role> [--service <name>]... [--expires-in <time>]
       jss-server token list
       jss-server token revoke <id>
       jss-server user set-password <name> [--role <role>] [--service <name>]... [--password-stdin]

Runs the reference Job Status Service. Without a database URL the data lives in PGlite: in
memory (lost on stop), or in --data-dir. The token and user commands work on the database that
--data-dir or --database-url name (roles: admin, manager, creator, worker; docs/server.md).

Options:
  --port <n>                    port to listen on, 0 for any free one (default 8080)
  --host <address>              interface to listen on (default 127.0.0.1)
  --data-dir <folder>           keep the PGlite database in this folder
  --database-url <url>          use this PostgreSQL (default: $DATABASE_URL)
  --pool-size <n>               connections to PostgreSQL per server (default 10)
  --cors-origin <origin>        allow this browser origin (repeatable; default none; * for any)
  --fault-rate <0..1>           answer this share of API requests 503 injected_fault
  --drop-after-commit-rate <0..1>
                                commit this share of writes, then drop the connection
  --latency-ms <min-max>        delay each API request by a random time in this range
  --keep-alive-ms <n>           milliseconds between SSE keep-alive comments (default 15000)
  --no-ui                       do not serve the web dashboard at /
  --auth <token|header|none>    token: a bearer token per request (default); header: trust
                                X-User-Id from an authenticating proxy; none: local development
  --insecure                    allow --auth header/none on an address other than loopback
  --login-ttl <time>            how long a POST /jss/1.0/login token lasts (default 12h)
  --quiet                       no request log
  --help                        show this text
`;

/** A command line that cannot be understood; the message says why. */
export class UsageError extends Error {}

function rate(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1))
    throw new UsageError(`${flag} takes a number from 0 to 1`);
  return value;
}

function integer(
  text: string | undefined,
  flag: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text) || Number(text) > max)
    throw new UsageError(`${flag} takes an integer from 0 to ${max}`);
  return Number(text);
}

function positive(text: string | undefined, flag: string): number | undefined {
  const value = integer(text, flag, 1000);
  if (value === 0) throw new UsageError(`${flag} takes an integer from 1 to 1000`);
  return value;
}

function latency(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  const min = Number(match?.[1]);
  const max = Number(match?.[2] ?? match?.[1]);
  if (!match || min > max)
    throw new UsageError('--latency-ms takes min-max in milliseconds, e.g. 10-200');
  return [min, max];
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `90s`, `15m`, `12h`, `30d` (or plain milliseconds) as milliseconds. */
export function parseDuration(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(text.trim());
  const value = match ? Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']! : NaN;
  if (!(value >= 1000 && value <= 10 * 365 * 86_400_000)) {
    throw new UsageError(`${flag} takes a time from 1s to 3650d, e.g. 90s, 15m, 12h or 30d`);
  }
  return value;
}

function authMode(text: string | undefined): AuthMode {
  if (text === undefined) return 'token';
  if (!(AUTH_MODES as readonly string[]).includes(text)) {
    throw new UsageError(`--auth takes one of ${AUTH_MODES.join(', ')}`);
  }
  return text as AuthMode;
}

/** Turns command-line arguments into server options; `undefined` when only help was asked. */
export function parseCommandLine(args: string[]): ServerOptions | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'pool-size': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'fault-rate': { type: 'string' },
      'drop-after-commit-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
      'keep-alive-ms': { type: 'string' },
      'no-ui': { type: 'boolean' },
      auth: { type: 'string' },
      insecure: { type: 'boolean' },
      'login-ttl': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return undefined;
  const faults = {
    failureRate: rate(values['fault-rate'], '--fault-rate'),
    dropAfterCommitRate: rate(values['drop-after-commit-rate'], '--drop-after-commit-rate'),
    latencyMs: latency(values['latency-ms']),
  };
  const origins = values['cors-origin'];
  return {
    port: integer(values.port, '--port', 65_535) ?? 8080,
    host: values.host ?? '127.0.0.1',
    dataDir: values['data-dir'],
    databaseUrl: values['database-url'],
    poolSize: positive(values['pool-size'], '--pool-size'),
    corsOrigins: origins === undefined ? [] : origins.includes('*') ? '*' : origins,
    keepAliveMs: integer(values['keep-alive-ms'], '--keep-alive-ms'),
    faults: Object.values(faults).some((value) => value !== undefined) ? faults : undefined,
    ui: !values['no-ui'],
    auth: authMode(values.auth),
    insecure: values.insecure ?? false,
    loginTokenTtlMs: parseDuration(values['login-ttl'], '--login-ttl'),
    logger: values.quiet ? false : (line) => console.log(line),
  };
}
