// The `jss-server` program (started by bin/jss-server.js): flags, start, graceful stop.
import { parseCommandLine, USAGE } from './cli-options';
import { databaseUrlOf, PortInUseError, startServer, type ServerOptions } from './index';
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
  const where = databaseUrlOf(options)
    ? 'PostgreSQL'
    : (options.dataDir ?? 'memory (lost on stop)');
  console.log(`JSS listening on ${server.url} (data: ${where})`);
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
