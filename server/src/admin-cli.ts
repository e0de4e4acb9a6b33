// `jss-server token ...` and `jss-server user ...`: token and password management on the
// database a server uses, without a server running (PGlite) or beside it (PostgreSQL).
import { parseArgs } from 'node:util';
import { checkRole, checkServices, checkUser } from './auth/grants';
import { passwordProblem, setPassword } from './auth/passwords';
import { createToken, listTokens, revokeToken, type TokenInfo } from './auth/tokens';
import { parseDuration, UsageError } from './cli-options';
import { ApiError } from './http/api-error';
import { databaseUrlOf } from './index';
import { openStore, type Store } from './store/store';

/** The commands this file runs; anything else is the server. */
export const ADMIN_COMMANDS = ['token', 'user'];

const DATABASE_OPTIONS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
} as const;

async function withStore<T>(
  values: { 'data-dir'?: string; 'database-url'?: string },
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const location = { dataDir: values['data-dir'], databaseUrl: values['database-url'] };
  const databaseUrl = databaseUrlOf(location);
  if (!databaseUrl && (!location.dataDir || location.dataDir === 'memory://')) {
    throw new UsageError(
      'Name the database with --data-dir or --database-url (or set DATABASE_URL): the tokens ' +
        'of an in-memory server cannot be managed from another process',
    );
  }
  const store = await openStore(databaseUrl ? { databaseUrl } : { dataDir: location.dataDir });
  try {
    return await fn(store);
  } finally {
    await store.db.close();
  }
}

/** A field check's message (`"user" is required ...`) as a usage error about the flag. */
function asFlag<T>(check: () => T, field: string, flag: string): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ApiError) {
      throw new UsageError(error.message.replace(`"${field}"`, flag));
    }
    throw error;
  }
}

const describeToken = (token: TokenInfo) =>
  [
    token.id,
    token.user,
    token.role,
    token.services.length > 0 ? token.services.join(',') : '-',
    token.created,
    token.revoked ? `revoked ${token.revoked}` : token.expires ? `expires ${token.expires}` : '-',
  ].join('\t');

async function tokenCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (action === 'create') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        ...DATABASE_OPTIONS,
        user: { type: 'string' },
        role: { type: 'string' },
        service: { type: 'string', multiple: true },
        'expires-in': { type: 'string' },
      },
    });
    const grant = {
      user: asFlag(() => checkUser(values.user), 'user', '--user'),
      role: asFlag(() => checkRole(values.role), 'role', '--role'),
      services: asFlag(() => checkServices(values.service ?? []), 'services', '--service'),
      expiresInMs: parseDuration(values['expires-in'], '--expires-in'),
    };
    const issued = await withStore(values, (store) => createToken(store.db, grant));
    const services = issued.services.length > 0 ? ` for ${issued.services.join(', ')}` : '';
    console.log(
      `Token ${issued.id}: ${issued.user} as ${issued.role}${services}, ` +
        `${issued.expires ? `expires ${issued.expires}` : 'does not expire'}.`,
    );
    console.log('It is shown only this once; send it as "Authorization: Bearer <token>":');
    console.log(issued.token);
    return;
  }
  if (action === 'list') {
    const { values } = parseArgs({ args: rest, strict: true, options: DATABASE_OPTIONS });
    const tokens = await withStore(values, (store) => listTokens(store.db));
    console.log(['id', 'user', 'role', 'services', 'created', 'state'].join('\t'));
    for (const token of tokens) console.log(describeToken(token));
    return;
  }
  if (action === 'revoke') {
    const { values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: DATABASE_OPTIONS,
    });
    if (positionals.length !== 1) throw new UsageError('token revoke takes one token id');
    const revoked = await withStore(values, (store) => revokeToken(store.db, positionals[0]!));
    if (!revoked) throw new UsageError(`No token with id ${JSON.stringify(positionals[0])}`);
    console.log(`Token ${revoked.id} (${revoked.user}) revoked ${revoked.revoked}`);
    return;
  }
  throw new UsageError('Use token create, token list or token revoke');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  let answer = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(answer);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new UsageError('Cancelled'));
          return;
        }
        if (char === '\u007f') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
    };
    stdin.on('data', onData);
  });
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    // One password, without the newline `echo` or a here-string adds.
    return (await readAll(process.stdin)).replace(/\r?\n$/, '');
  }
  const password = await promptHidden('Password: ');
  if ((await promptHidden('Again: ')) !== password) {
    throw new UsageError('The two passwords differ');
  }
  return password;
}

async function userCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (action !== 'set-password') throw new UsageError('Use user set-password <name>');
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: {
      ...DATABASE_OPTIONS,
      role: { type: 'string' },
      service: { type: 'string', multiple: true },
      'password-stdin': { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('user set-password takes one user name');
  const grant = {
    user: asFlag(() => checkUser(positionals[0]), 'user', 'The user name'),
    role: asFlag(() => checkRole(values.role ?? 'creator'), 'role', '--role'),
    services: asFlag(() => checkServices(values.service ?? []), 'services', '--service'),
  };
  const password = await readPassword(values['password-stdin'] ?? false);
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(problem);
  await withStore(values, (store) => setPassword(store.db, grant, password));
  console.log(
    `Password of ${grant.user} set; POST /jss/1.0/login gives ${grant.role} tokens for it`,
  );
}

/** Runs `jss-server token ...` or `jss-server user ...`. */
export async function runAdminCommand(command: string, args: string[]): Promise<void> {
  if (command === 'token') return tokenCommand(args);
  return userCommand(args);
}
