import { resolveToken, type NormalizedTransportOptions } from '../internal/transport';

/**
 * The identity headers of event streams, which go through fetch rather than the transport: the
 * extra headers, then `X-User-Id` and `Authorization` (the token resolved anew each time), which
 * replace same-named extra headers whatever their case, as the transport does.
 */
export async function streamHeaders(
  options: NormalizedTransportOptions,
): Promise<Record<string, string>> {
  const { headers, user, token } = options;
  const secrets = Object.values(headers);
  const own = new Set(['x-user-id', 'authorization']);
  const extra = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !own.has(name.toLowerCase())),
  );
  const result: Record<string, string> = { ...extra };
  if (user !== undefined) result['X-User-Id'] = user;
  if (token !== undefined) {
    // A provider's failure is reported as the transport reports it: without its message.
    const value = typeof token === 'string' ? token : await resolveToken(token, secrets);
    result.Authorization = `Bearer ${value}`;
  }
  return result;
}
