import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import type { ChangeHub } from '../src/events';
import { ERROR_CODES } from '#protocol';
import type { Store } from '../src/store/store';
import { listAt, operationsOf } from './support/openapi-outline';

const document = readFileSync(fileURLToPath(new URL('../openapi.yaml', import.meta.url)), 'utf8');

/**
 * The API routes the app registers (those under `/jss`; the dashboard at `/` is no part of the
 * API), as `METHOD /path` relative to `/jss` with `{param}` names.
 */
function appOperations(): string[] {
  // Routes are registered without touching the store or the hub.
  const app = createApp({ store: {} as Store, hub: {} as ChangeHub }, { logger: false });
  const operations = app.routes
    .filter((route) => ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'].includes(route.method))
    .filter((route) => route.path.startsWith('/jss/'))
    .map(
      (route) => `${route.method} ${route.path.replace(/^\/jss/, '').replace(/:(\w+)/g, '{$1}')}`,
    );
  return [...new Set(operations)].sort();
}

describe('server/openapi.yaml', () => {
  it('is valid YAML', async () => {
    await expect(prettier.format(document, { parser: 'yaml' })).resolves.toEqual(
      expect.any(String),
    );
  });

  it('declares OpenAPI 3.1', () => {
    expect(document).toMatch(/^openapi: 3\.1\.\d+$/m);
  });

  it('describes exactly the routes the server registers', () => {
    expect(operationsOf(document)).toEqual(appOperations());
  });

  it('lists every error code the server can answer', () => {
    expect(listAt(document, ['components', 'schemas', 'ErrorCode', 'enum']).sort()).toEqual(
      [...ERROR_CODES].sort(),
    );
  });
});

describe('the outline reader', () => {
  it('finds the operations of a small document', () => {
    const yaml = [
      'openapi: 3.1.0',
      'paths:',
      '  /a:',
      '    get:',
      '      x: 1',
      "  '/b/{id}':",
      '    post: {}',
      '    delete: {}',
      'components: {}',
    ].join('\n');
    expect(operationsOf(yaml)).toEqual(['DELETE /b/{id}', 'GET /a', 'POST /b/{id}']);
  });
});
