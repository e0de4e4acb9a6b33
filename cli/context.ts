// What every command works with: the SDK client, where to write, and how (JSON or a table,
// colours or not). Built once per run from the global flags and the environment.
import pc from 'picocolors';
import type { Colors } from 'picocolors/types';
import { JobStatusClient, type Logger } from 'job-status-client';
import { resolveConnection, type Connection, type ConnectionFlags, type Sources } from './config';
import { UsageError } from './errors';

/** The process's streams and environment (tests and the bin pass the real ones). */
export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Aborts on Ctrl-C; commands that follow jobs stop on it. */
  signal: AbortSignal;
}

/** The parts of a tty.WriteStream the commands use. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The global flags. */
export interface GlobalFlags extends ConnectionFlags {
  json?: boolean;
  table?: boolean;
  verbose?: boolean;
}

export interface Context {
  client: JobStatusClient;
  connection: Connection;
  /** Machine output: JSON documents (NDJSON for streams) instead of tables. */
  json: boolean;
  /** A person watches stdout: live redraws are possible. */
  interactive: boolean;
  colors: Colors;
  signal: AbortSignal;
  /** Writes one line (or several) to stdout. */
  print(text: string): void;
  /** Writes raw text to stdout (live redraws). */
  write(text: string): void;
  /** Writes one line to stderr. */
  note(text: string): void;
  columns: number;
  now(): number;
}

/**
 * Colours follow https://no-color.org and FORCE_COLOR: NO_COLOR (non-empty) turns them off,
 * FORCE_COLOR (other than 0) on; otherwise only a terminal that is not `dumb` gets them.
 */
export function colorsEnabled(env: NodeJS.ProcessEnv, stream: OutputStream): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/**
 * Removes every appearance of `secret` from `text`: the last line of defence, behind the SDK's
 * own redaction, so that no message the CLI prints can show the token.
 */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** `url=… (JSS_URL) user=… (flag) token=set (config file …)`; never the token itself. */
export function describeConnection(connection: Connection, sources: Sources): string {
  const from = (key: keyof Connection) => (sources[key] ? ` (from ${sources[key]})` : '');
  return [
    `url=${connection.url}${from('url')}`,
    `user=${connection.user ?? '(none)'}${from('user')}`,
    `token=${connection.token ? 'set' : '(none)'}${from('token')}`,
  ].join(' ');
}

/** Builds the context of one run. */
export function createContext(flags: GlobalFlags, io: Io): Context {
  if (flags.json && flags.table) throw new UsageError('--json and --table exclude each other');
  const { connection, sources } = resolveConnection(flags, io.env);
  const secret = connection.token;
  const note = (text: string) => io.stderr.write(`${redact(text, secret)}\n`);
  if (flags.verbose) note(`jss: ${describeConnection(connection, sources)}`);
  const logger: Logger = {
    debug: (message) => note(`jss: ${message}`),
    info: (message) => note(`jss: ${message}`),
    warn: (message) => note(`jss: ${message}`),
    error: (message) => note(`jss: ${message}`),
  };
  let client: JobStatusClient;
  try {
    client = new JobStatusClient({
      baseURL: connection.url,
      ...(connection.user ? { user: connection.user } : {}),
      ...(connection.token ? { token: connection.token } : {}),
      logger,
      // Retries are the SDK's business; only --verbose shows them.
      logLevel: flags.verbose ? 'debug' : 'error',
    });
  } catch (error) {
    // The options were refused (a malformed URL, a header value that cannot be sent).
    throw new UsageError((error as Error).message);
  }
  const interactive = io.stdout.isTTY === true;
  return {
    client,
    connection,
    json: flags.json ? true : flags.table ? false : !interactive,
    interactive,
    colors: pc.createColors(colorsEnabled(io.env, io.stdout)),
    signal: io.signal,
    print: (text) => io.stdout.write(`${redact(text, secret)}\n`),
    write: (text) => io.stdout.write(redact(text, secret)),
    note,
    columns: io.stdout.columns ?? 100,
    now: () => Date.now(),
  };
}
