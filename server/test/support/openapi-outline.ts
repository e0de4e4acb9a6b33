/**
 * Reads the outline of our own OpenAPI document: the methods under each path, and the values of
 * a list. The document is plain block-style YAML with two-space indentation, which is all this
 * reader understands (the repository has no YAML parser among its dependencies; prettier's YAML
 * parser checks the syntax separately).
 */
const HTTP_METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'options', 'head', 'trace']);

const indentOf = (line: string) => line.length - line.trimStart().length;
const keyOf = (line: string) => {
  const match = /^\s*('([^']*)'|"([^"]*)"|[^:#][^:]*):/.exec(line);
  return match ? (match[2] ?? match[3] ?? match[1]!).trim() : undefined;
};
const meaningful = (line: string) => line.trim() !== '' && !line.trimStart().startsWith('#');

/** Lines nested under the first top-level-relative `key:` found at `indent`, with their indent. */
function childrenOf(lines: string[], path: string[]): string[] {
  let scope = lines;
  let indent = 0;
  for (const key of path) {
    const start = scope.findIndex(
      (line) => meaningful(line) && indentOf(line) === indent && keyOf(line) === key,
    );
    if (start === -1) throw new Error(`No ${path.join('.')} in the document`);
    const rest = scope.slice(start + 1);
    const end = rest.findIndex((line) => meaningful(line) && indentOf(line) <= indent);
    scope = end === -1 ? rest : rest.slice(0, end);
    indent += 2;
  }
  return scope.filter(meaningful);
}

/** `METHOD /path` for every operation under `paths`. */
export function operationsOf(yaml: string): string[] {
  const lines = yaml.split('\n');
  const pathLines = childrenOf(lines, ['paths']);
  const operations: string[] = [];
  for (const path of pathLines.filter((line) => indentOf(line) === 2).map((line) => keyOf(line)!)) {
    for (const line of childrenOf(lines, ['paths', path])) {
      const key = keyOf(line);
      if (indentOf(line) === 4 && key && HTTP_METHODS.has(key))
        operations.push(`${key.toUpperCase()} ${path}`);
    }
  }
  return operations.sort();
}

/** The items of a block list (`- item` lines) at `path`. */
export function listAt(yaml: string, path: string[]): string[] {
  return childrenOf(yaml.split('\n'), path)
    .map((line) => /^\s*-\s+(.*)$/.exec(line)?.[1])
    .filter((item): item is string => item !== undefined);
}
