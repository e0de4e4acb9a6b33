// The README is the front door and docs/ holds the rest: a link that points at a moved section or
// at a file outside the repository is found here rather than by a reader.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(file: string): Set<string> {
  const headings = prose(readFileSync(join(root, file), 'utf8')).match(/^#{1,6} .*$/gm) ?? [];
  return new Set(headings.map((line) => anchorOf(line.replace(/^#+ /, ''))));
}

/** Every relative target (Markdown links and `src` attributes) of a document. */
function targetsIn(file: string): string[] {
  const text = prose(readFileSync(join(root, file), 'utf8'));
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/src="([^"]+)"/g)];
  return links.map((match) => match[1]!).filter((target) => !/^[a-z]+:/i.test(target));
}

describe('documentation links', () => {
  it.each(documents)('%s links only to files and headings that exist in the repository', (file) => {
    const broken: string[] = [];
    for (const target of targetsIn(file)) {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const resolved = path === '' ? join(root, file) : resolve(root, dirname(file), path);
      const inside = relative(root, resolved);
      if (inside.startsWith('..') || inside.split(sep)[0] === 'node_modules') {
        broken.push(`${target} (outside the repository)`);
      } else if (!existsSync(resolved)) {
        broken.push(`${target} (no such file)`);
      } else if (anchor !== undefined && !anchorsIn(inside).has(anchor)) {
        broken.push(`${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("the README's examples are examples/quick-start.ts and examples/worker-pool.ts as written", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
    const examples = ['examples/quick-start.ts', 'examples/worker-pool.ts'].map((file) =>
      readFileSync(join(root, file), 'utf8'),
    );
    expect(blocks).toEqual(examples);
  });
});
