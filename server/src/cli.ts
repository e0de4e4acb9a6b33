// The `jss-server` program (started by bin/jss-server.js): flags, start, graceful stop.
import { ADMIN_COMMANDS, runAdminCommand } from './admin-cli';
import { parseCommandLine, USAGE, UsageError } from './cli-options';
import {
  databaseUrlOf,
  InsecureSetupError,
  PortInUseError,
  startServer,
  type ServerOptions,
} from './index';
import { DataDirLockedError, DataDirUnwritableError } from './store/data-dir-lock';
import { isDatabaseLoginRefused, isDatabaseUnavailable } from './store/db-errors';

/** Where a database URL points, without its user and password. */
function whereIs(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'the configured database';
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One line saying why the server could not start, for the errors an operator can fix (a taken
 * port or folder, a database that cannot be reached or refuses the login); no stack trace, no
 * password.
 */
export function startupFailure(error: unknown, options: ServerOptions): string {
  if (
    error instanceof InsecureSetupError ||
    error instanceof PortInUseError ||
    error instanceof DataDirLockedError ||
    error instanceof DataDirUnwritableError
  ) {
    return error.message;
  }
  const databaseUrl = databaseUrlOf(options);
  if (databaseUrl && isDatabaseLoginRefused(error)) {
    return `PostgreSQL at ${whereIs(databaseUrl)} refused the login: check the user and password in the database URL (${messageOf(error)})`;
  }
  if (databaseUrl && isDatabaseUnavailable(error)) {
    const code = (error as { code?: unknown }).code;
    return `Cannot reach PostgreSQL at ${whereIs(databaseUrl)}${typeof code === 'string' ? ` (${code})` : ''}: is it running, and is the URL right?`;
  }
  return `jss-server could not start: ${messageOf(error).split('\n')[0]}`;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== undefined && ADMIN_COMMANDS.includes(command)) {
    try {
      await runAdminCommand(command, rest);
    } catch (error) {
      if (!(
        error instanceof UsageError ||
        (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ))
        throw error;
      console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
      process.exitCode = 2;
    }
    return;
  }
  let options: ServerOptions | undefined;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(options);
  } catch (error) {
    console.error(startupFailure(error, options));
    process.exitCode = 1;
    return;
  }
  const inMemory = !databaseUrlOf(options) && (!options.dataDir || options.dataDir === 'memory://');
  const where = databaseUrlOf(options)
    ? 'PostgreSQL'
    : inMemory
      ? 'memory (lost on stop)'
      : options.dataDir;
  console.log(`JSS listening on ${server.url} (data: ${where}, auth: ${options.auth ?? 'token'})`);
  if (options.ui !== false) console.log(`dashboard at ${new URL(server.url).origin}/`);
  if ((options.auth ?? 'token') === 'token' && (await server.usableTokens()) === 0) {
    if (inMemory) {
      // No other process can reach an in-memory database to make a token for it.
      const issued = await server.createToken({ user: 'admin', role: 'admin' });
      console.log(`No tokens yet; an admin token for this in-memory run (id ${issued.id}):`);
      console.log(issued.token);
    } else {
      const flag = databaseUrlOf(options)
        ? '--database-url <url>'
        : `--data-dir ${options.dataDir}`;
      console.log(
        `No tokens yet: every API request will get 401. Make one with\n` +
          `  jss-server token create --user <name> --role admin ${flag}`,
      );
    }
  }
  if (options.faults) console.log(`fault injection on: ${JSON.stringify(options.faults)}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`jss-server failed: ${messageOf(error)}`);
  process.exit(1);
});
