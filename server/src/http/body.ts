import type { Context } from 'hono';
import { badBody } from './api-error';

/** The request body parsed as JSON; `undefined` when there is none. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badBody('The body is not valid JSON');
  }
}
