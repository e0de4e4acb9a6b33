#!/usr/bin/env node
// The `jss` executable: the real process's streams, environment and Ctrl-C.
import { run } from './program';

// `jss list | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const interrupt = new AbortController();
// The first Ctrl-C lets the command stop cleanly (close its stream, restore the terminal); a
// second one exits at once.
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

const exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: interrupt.signal,
});
// Waits for stdout to drain (a pipe may be slow) before the process ends.
process.exitCode = exitCode;
