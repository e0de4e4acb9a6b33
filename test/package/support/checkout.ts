import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './build';
import { runCommand } from './run';

/**
 * A copy of the repository as a fresh clone has it: the files git tracks (and new files it does
 * not ignore, so the current sources are checked), without dist/ or any other build output.
 * node_modules is linked from the repository instead of installed: the tests run offline, and
 * what they check is that packing builds by itself, not that the registry answers.
 */
export async function freshCheckout(into: string): Promise<string> {
  const { stdout } = await runCommand(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: repoRoot },
  );
  const files = stdout.split('\0').filter((file) => file !== '');
  for (const file of files) {
    const source = join(repoRoot, file);
    // A file deleted in the working tree but still in the index is not part of the sources.
    if (!existsSync(source)) continue;
    await mkdir(dirname(join(into, file)), { recursive: true });
    await copyFile(source, join(into, file));
  }
  await symlink(join(repoRoot, 'node_modules'), join(into, 'node_modules'), 'dir');
  return into;
}
