import type { Context } from 'hono';
import { checkJsonBody } from '#protocol';
import { withApiErrors } from '../wire/model-errors';
import { badBody } from './api-error';

/**
 * The request body parsed as JSON; `undefined` when there is none. Held to the body rules every
 * side shares (nesting depth, forbidden keys, storable strings) before anything walks it.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw badBody('The body is not valid JSON');
  }
  withApiErrors(() => checkJsonBody(body));
  return body;
}
