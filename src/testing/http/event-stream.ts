import { inScope as inReadScope, scopeOf, type Principal } from '#protocol';
import type { JobTable, TableChange, Tombstone } from '../store/job-table';
import { mayTouch } from './access';
import { changesInScopeSince, inScope, jobsInScope, type StreamScope } from '../store/queries';

const EVENT_TYPES = { insert: 'jobInsert', update: 'jobUpdate', delete: 'jobDelete' } as const;

/** The reconnection delay the stream asks clients for, as the reference server does. */
export const RETRY_MS = 1000;

function frame(event: string, id: number, data: unknown): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A deletion carries only who the job was. */
function payloadOf(change: TableChange): unknown {
  return change.kind === 'delete'
    ? { job_id: change.job.job_id, user: change.job.user }
    : change.job;
}

/**
 * A `text/event-stream` body (docs/protocol.md, "Live updates"): `retry`, then `initialJobs`
 * (or, after `Last-Event-ID`, what was missed), then one event per write in scope. Writes are
 * synchronous and the state is read in the same tick as the listener is attached, so no change
 * can fall between the two. The stream ends when the request aborts or the reader cancels.
 */
export function openEventStream(
  table: JobTable,
  scope: StreamScope,
  principal: Principal,
  resumeAfter: number | undefined,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const readable = (job: TableChange['job']) => mayTouch(table, principal, 'read', job);
  const readScope = scopeOf(principal, 'read');
  let detach = (): void => undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string): void => {
        if (open) controller.enqueue(encoder.encode(text));
      };

      send(`retry: ${RETRY_MS}\n\n`);
      if (resumeAfter === undefined) {
        send(frame('initialJobs', table.stamp, jobsInScope(table, scope, readable)));
      } else {
        const visible = {
          job: readable,
          tombstone: (gone: Tombstone) => inReadScope(readScope, gone),
        };
        for (const missed of changesInScopeSince(table, scope, resumeAfter, visible)) {
          send(frame(EVENT_TYPES[missed.kind], missed.stamp, missed.job));
        }
      }
      const unlisten = table.listen((change) => {
        // A deleted job's parent is still in the table, so its owner is found as for any other.
        if (inScope(scope, change.job) && readable(change.job)) {
          send(frame(EVENT_TYPES[change.kind], change.stamp, payloadOf(change)));
        }
      });

      const stop = (): void => {
        if (!open) return;
        open = false;
        unlisten();
        signal.removeEventListener('abort', end);
      };
      const end = (): void => {
        stop();
        try {
          controller.close();
        } catch {
          // Already closed by the reader going away.
        }
      };
      detach = stop;
      if (signal.aborted) end();
      else signal.addEventListener('abort', end, { once: true });
    },
    cancel() {
      detach();
    },
  });
}
