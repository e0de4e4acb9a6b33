// Where the command line finds the service and its credentials: flags first, then the
// environment (JSS_URL, JSS_TOKEN, JSS_USER), then a JSON file in the user's config folder.
// The token is only ever described as "set" with its source, never shown.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors';

/** The settings every command needs. */
export interface Connection {
  /** The service's base URL, `http://host:port/jss`. */
  url: string;
  /** A bearer token for deployments that require one. */
  token?: string;
  /** The `X-User-Id` identity, for deployments that trust a header (and the default job user). */
  user?: string;
}

/** Where each setting came from: shown by `--verbose` instead of the values themselves. */
export type Sources = Record<keyof Connection, string | undefined>;

/** The global flags that feed the connection. */
export interface ConnectionFlags {
  url?: string;
  token?: string;
  as?: string;
  config?: string;
}

const CONFIG_KEYS = ['url', 'token', 'user'] as const;

/**
 * The config file's path: `$XDG_CONFIG_HOME/jss/config.json`, else `~/.config/jss/config.json`;
 * on Windows `%APPDATA%\jss\config.json`.
 */
export function configPath(env: NodeJS.ProcessEnv, platform = process.platform): string {
  if (platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'jss', 'config.json');
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'jss', 'config.json');
}

/** The config file's settings; none when it does not exist. Refuses keys it does not know. */
export function readConfigFile(path: string): Partial<Connection> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`the config file ${path} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`the config file ${path} must hold a JSON object`);
  }
  const settings: Partial<Connection> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(
        `the config file ${path} has an unknown key "${key}" (keys: ${CONFIG_KEYS.join(', ')})`,
      );
    }
    if (typeof value !== 'string' || value === '') {
      throw new UsageError(`the config file ${path}: "${key}" must be a non-empty string`);
    }
    settings[key as keyof Connection] = value;
  }
  return settings;
}

/** Resolves the connection from flags, environment and config file, in that order. */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
): { connection: Connection; sources: Sources } {
  const path = flags.config ?? configPath(env);
  const file = readConfigFile(path);
  const pick = (flag: string | undefined, envName: string, key: keyof Connection) => {
    if (flag) return { value: flag, source: 'flag' };
    const fromEnv = env[envName];
    if (fromEnv) return { value: fromEnv, source: envName };
    if (file[key]) return { value: file[key], source: path };
    return { value: undefined, source: undefined };
  };
  const url = pick(flags.url, 'JSS_URL', 'url');
  const token = pick(flags.token, 'JSS_TOKEN', 'token');
  const user = pick(flags.as, 'JSS_USER', 'user');
  if (!url.value) {
    throw new UsageError(`no service URL: pass --url, set JSS_URL or put "url" in ${path}`);
  }
  const connection: Connection = { url: url.value };
  if (token.value) connection.token = token.value;
  if (user.value) connection.user = user.value;
  return { connection, sources: { url: url.source, token: token.source, user: user.source } };
}
