// The `jss-server` program (started by bin/jss-server.js): flags, start, graceful stop.
import { parseCommandLine, USAGE } from './cli-options';
import { databaseUrlOf, startServer, type ServerOptions } from './index';

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
  const server = await startServer(options);
  const where = databaseUrlOf(options)
    ? 'PostgreSQL'
    : (options.dataDir ?? 'memory (lost on stop)');
  console.log(`JSS listening on ${server.url} (data: ${where})`);
  if (options.ui !== false) console.log(`dashboard at ${new URL(server.url).origin}/`);
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
  console.error(error);
  process.exit(1);
});
