import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Output of a finished command. */
export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without a shell and resolves with its output; a non-zero exit rejects with an
 * error that carries the command line and both streams, so a failing test says why.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeout ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} (in ${options.cwd}) failed: ${failure.message}\n` +
        `--- stdout\n${failure.stdout ?? ''}\n--- stderr\n${failure.stderr ?? ''}`,
      { cause: error },
    );
  }
}

/** npm flags for installs in tests: no audit or funding noise, the local cache first. */
export const quietInstallFlags = ['--no-audit', '--no-fund', '--prefer-offline'] as const;
