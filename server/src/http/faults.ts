import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error';
import type { JssEnv } from './env';

/** Fault injection (tests only; docs/protocol.md, "Fault injection"). All off by default. */
export interface FaultOptions {
  /** Share (0..1) of API requests answered 503 `injected_fault` before anything is done. */
  failureRate?: number;
  /** Share (0..1) of writes that commit and then lose their connection without an answer. */
  dropAfterCommitRate?: number;
  /** A random delay in [min, max] milliseconds before each API request is handled. */
  latencyMs?: [number, number];
}

const READS_SENT_AS_POST = ['/query', '/changes'];

const isWrite = (method: string, path: string) =>
  method === 'PATCH' ||
  method === 'DELETE' ||
  (method === 'POST' && !READS_SENT_AS_POST.some((suffix) => path.endsWith(suffix)));

/** Applies `faults` to the API routes; the subscription is never faulted. */
export function faultInjection(
  faults: FaultOptions,
  random: () => number = Math.random,
): MiddlewareHandler<JssEnv> {
  const { failureRate = 0, dropAfterCommitRate = 0, latencyMs } = faults;
  return async function injectFaults(c, next) {
    if (c.req.method === 'OPTIONS' || c.req.path.startsWith('/jss/1.0/job/subscribe'))
      return next();
    if (latencyMs) {
      const [min, max] = latencyMs;
      await new Promise((resolve) => setTimeout(resolve, min + random() * (max - min)));
    }
    if (failureRate > 0 && random() < failureRate) {
      throw new ApiError(
        503,
        'injected_fault',
        'Injected fault: the server was started with a fault rate',
      );
    }
    await next();
    const committed = c.res.status >= 200 && c.res.status < 300;
    if (
      dropAfterCommitRate > 0 &&
      committed &&
      isWrite(c.req.method, c.req.path) &&
      random() < dropAfterCommitRate
    ) {
      const socket = c.env?.incoming?.socket;
      if (socket) {
        c.set('dropped', true);
        socket.destroy();
      }
    }
  };
}
