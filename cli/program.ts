// The command tree: flags, help texts and examples (commander), each command handing its parsed
// flags to a function in ./commands. Returns an exit code instead of exiting, for tests and main.
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from 'job-status-client';
import { collect } from './args';
import { createContext, redact, type Context, type GlobalFlags, type Io } from './context';
import { act, create, get, list, update, whoami, type ActionName } from './commands/jobs';
import { logs, wait, watch } from './commands/follow';
import { EXIT, exitCodeOf, messageOf } from './errors';

const EXIT_CODES_HELP = `
Exit codes:
  0    success (wait: the job SUCCEEDED)
  1    the request failed (connection, server error)
  2    usage: wrong flags or arguments, or input the service refused (400, 422)
  3    not found
  4    not authorised (401, 403)
  5    conflict: the job's state does not allow the action
  6    wait --timeout ran out
  10   wait: the job FAILED          11  wait: UNRECOVERABLE
  12   wait: the job was ABORTED     13  wait: a status this version does not know
  130  interrupted (Ctrl-C)`;

const CONFIG_HELP = `
Configuration (first found wins):
  --url, --token, --as           flags
  JSS_URL, JSS_TOKEN, JSS_USER   environment
  config file                    $XDG_CONFIG_HOME/jss/config.json (default ~/.config/jss/config.json,
                                 %APPDATA%\\jss\\config.json on Windows): {"url": "...", "token": "..."}
The token is never printed, not even with --verbose.

Output: a table with colours on a terminal (NO_COLOR turns colours off, FORCE_COLOR on); JSON
when stdout is piped or with --json (watch and logs print one JSON document per line).`;

const examples = (...lines: string[]) =>
  `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}`;

/** Runs `jss` with `argv` (without node and the script) and resolves with the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  // Known before parsing, so that even a parse error cannot echo the token; the config file's
  // token joins once the connection is resolved.
  let secret = tokenInArgs(argv) ?? (io.env.JSS_TOKEN || undefined);
  const program = new Command('jss');
  const context = (): Context => {
    const ctx = createContext(program.opts<GlobalFlags>(), io);
    secret = ctx.connection.token ?? secret;
    return ctx;
  };
  const action =
    <A extends unknown[]>(body: (ctx: Context, ...args: A) => Promise<number>) =>
    async (...args: A) => {
      exitCode = await body(context(), ...args);
    };

  program
    .description('Look at and act on the jobs of a Job Status Service.')
    .version(VERSION, '-V, --version', 'print the version of jss (the SDK it runs on)')
    .option('--url <url>', 'the service, e.g. http://localhost:8080/jss (env JSS_URL)')
    .option('--token <token>', 'bearer token (env JSS_TOKEN; prefer it or the config file)')
    .option('--as <user>', 'X-User-Id for deployments that trust that header (env JSS_USER)')
    .option('--config <file>', 'config file instead of the one in the user config folder')
    .option('--json', 'JSON output (the default when stdout is not a terminal)')
    .option('--table', 'table output even when stdout is not a terminal')
    .option('--verbose', 'log requests and where each setting came from to stderr')
    .showSuggestionAfterError()
    // `jss list --help` also lists --url, --json…: they work after the command too.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(redact(text, secret)),
      // One line, in the same form as every other error.
      outputError: (text, write) =>
        write(
          `jss: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')} (see jss --help)\n`,
        ),
    })
    .addHelpText(
      'after',
      `${CONFIG_HELP}\n${EXIT_CODES_HELP}\n${examples(
        'export JSS_URL=http://localhost:8080/jss JSS_TOKEN=…',
        'jss list --status FAILED,UNRECOVERABLE --limit 20',
        'jss get 3f2a…',
        'jss watch --user demo --status WORKING',
        'jss wait 3f2a… --timeout 10m && echo done',
        'jss list --json | jq -r ".[].jobId"',
      )}`,
    );

  const selectOptions = (command: Command) =>
    command
      .option('--user <user>', "only this user's jobs")
      .option('--status <statuses>', 'only these statuses, comma-separated (WORKING,FAILED)')
      .option('--service <service>', "only this service's jobs")
      .option('--filter <json>', 'a JSON filter, as the SDK takes it ({"serviceFields.kind":"x"})')
      .option('--limit <n>', 'at most n jobs (1..1000)', '50')
      .option('--sort <keys>', 'order, e.g. -modified or status,-created', '-created');

  selectOptions(program.command('list').description('list jobs, newest first'))
    .addHelpText(
      'after',
      examples(
        'jss list --user demo',
        'jss list --status WORKING,RETRYING --service upload',
        `jss list --filter '{"serviceFields":{"kind":"scan"}}' --limit 200`,
      ),
    )
    .action(action((ctx, flags) => list(ctx, flags)));

  program
    .command('get <id>')
    .description('show one job, its service fields and its children as a tree')
    .addHelpText('after', examples('jss get 3f2a…', 'jss get 3f2a… --json'))
    .action(action((ctx, jobId: string) => get(ctx, jobId)));

  selectOptions(
    program
      .command('watch [id]')
      .description('follow jobs live (progress bars) until they end or Ctrl-C'),
  )
    .addHelpText(
      'after',
      `\nWithout an id, watches the jobs the filters select when it starts.\nPiped or with --json: one JSON job per line as it changes.${examples(
        'jss watch 3f2a…',
        'jss watch --user demo --status WAITING,WORKING',
        'jss watch --service upload --json | jq -c "{jobId, status}"',
      )}`,
    )
    .action(action((ctx, jobId: string | undefined, flags) => watch(ctx, jobId, flags)));

  program
    .command('wait <id>')
    .description('wait until the job ends; the exit code tells how (see jss --help)')
    .option('--timeout <duration>', 'give up after this long (500ms, 30s, 10m, 1h): exit 6')
    .addHelpText(
      'after',
      examples('jss wait 3f2a… && echo succeeded', 'jss wait 3f2a… --timeout 5m; echo "exit $?"'),
    )
    .action(action((ctx, jobId: string, flags) => wait(ctx, jobId, flags)));

  const actions: [ActionName, string][] = [
    ['abort', 'abort jobs that are in progress'],
    ['retry', 'retry jobs that FAILED or were ABORTED'],
    ['delete', 'delete jobs that have ended'],
  ];
  for (const [name, description] of actions) {
    program
      .command(`${name} <ids...>`)
      .description(description)
      .addHelpText(
        'after',
        `\nEach job is tried in turn; the exit code is the first failure's.${examples(
          `jss ${name} 3f2a…`,
          `jss list --status FAILED --json | jq -r ".[].jobId" | xargs jss ${name}`,
        )}`,
      )
      .action(action((ctx, jobIds: string[]) => act(ctx, name, jobIds)));
  }

  program
    .command('logs <id>')
    .description("print a job's log entries, oldest first")
    .option('-f, --follow', 'keep printing new entries until the job ends')
    .addHelpText('after', examples('jss logs 3f2a…', 'jss logs 3f2a… --follow'))
    .action(action((ctx, jobId: string, flags) => logs(ctx, jobId, flags)));

  program
    .command('create')
    .description('create a job')
    .option('--name <name>', 'the job name')
    .option('--user <user>', "the job's user (default: --as / JSS_USER, else the token's user)")
    .option('--service <service>', 'the service that runs it')
    .addOption(new Option('--status <status>', 'the first status (default WAITING)'))
    .option('--stage <stage>', 'the current stage')
    .option('--parent <id>', 'the parent job')
    .option(
      '--service-field <key=value>',
      'a service field; repeatable; value is JSON if it parses, dotted keys nest',
      collect,
    )
    .option('-q, --quiet', 'print only the new job id')
    .addHelpText(
      'after',
      examples(
        'jss create --name upload --service-field files=3 --service-field source.path=/data',
        'id=$(jss create --name scan --service scanner -q)',
      ),
    )
    .action(action((ctx, flags) => create(ctx, flags)));

  program
    .command('update <id>')
    .description('change a job: status, stage, name, host, service fields')
    .option('--set <key=value>', 'replace a service field whole; repeatable', collect)
    .option(
      '--merge <key=value>',
      'change only the named leaves of a service field; repeatable',
      collect,
    )
    .option('--status <status>', 'the new status')
    .option('--stage <stage>', 'the new stage')
    .option('--name <name>', 'the new job name')
    .option('--host <host>', 'the new current host')
    .option('-q, --quiet', 'print only the job id')
    .addHelpText(
      'after',
      `\n--set favorites='{"color":"red"}' replaces favorites; --merge favorites.color=red changes\nonly favorites.color and keeps favorites' other keys.${examples(
        'jss update 3f2a… --status WORKING --stage copying',
        `jss update 3f2a… --merge favorites.color=red`,
        `jss update 3f2a… --set 'files=["a","b"]'`,
      )}`,
    )
    .action(action((ctx, jobId: string, flags) => update(ctx, jobId, flags)));

  program
    .command('whoami')
    .description('show the user, role and services the service takes the token to be')
    .addHelpText('after', examples('jss whoami', 'jss whoami --json | jq -r .role'))
    .action(action((ctx) => whoami(ctx)));

  // Every subcommand shares the program's output and error handling.
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError();
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every other parse error is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`${redact(`jss: ${messageOf(error)}`, secret)}\n`);
    return exitCodeOf(error);
  }
}

/** The value of `--token <t>` or `--token=<t>` in `argv`, if any. */
function tokenInArgs(argv: readonly string[]): string | undefined {
  let token: string | undefined;
  argv.forEach((arg, index) => {
    if (arg === '--token') token = argv[index + 1] || token;
    else if (arg.startsWith('--token=')) token = arg.slice('--token='.length) || token;
  });
  return token;
}
