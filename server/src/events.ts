import { inScope, scopeOf, type Principal } from '../../src/internal/model';
import type { Unlisten } from './store/db';
import { loadJobWithParentUser } from './store/jobs';
import { toWireJob, type JobRow } from './store/job-row';
import type { Store } from './store/store';
import {
  readChangesSince,
  readInitialJobs,
  type SubscriptionScope,
} from './store/subscription-reads';
import type { ChangeNotice } from './store/write';
import { LIMITS } from './limits';

/** A change as the hub hands it out: the notice, and the job as loaded after it (none if gone). */
export interface HubEvent {
  notice: ChangeNotice;
  row: JobRow | undefined;
  /** The owner of the row's parent job, for the visibility rule. */
  parentUser?: string | null;
}

/** One listener on the hub: an open event stream. */
export interface HubSubscriber {
  wants(notice: ChangeNotice): boolean;
  receive(event: HubEvent): void;
  close(): void;
}

/**
 * This instance's single LISTEN on the changes channel, fanned out to its event streams. Every
 * instance on one database has its own hub, so each sees every instance's writes. Notices are
 * delivered in the order PostgreSQL delivers them (commit order); their jobs load concurrently.
 */
export class ChangeHub {
  private readonly subscribers = new Set<HubSubscriber>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown) => void,
  ) {}

  private unlisten: Unlisten | undefined;

  /** Starts listening; resolves once PostgreSQL will deliver every later commit's notice. */
  static async start(store: Store, onError: (error: unknown) => void): Promise<ChangeHub> {
    const hub = new ChangeHub(store, onError);
    hub.unlisten = await store.db.listen(
      store.channel,
      (payload) => hub.enqueue(payload),
      // Notices were lost: ended, the streams' clients resume with Last-Event-ID, which replays
      // what they missed.
      () => hub.endStreams(),
    );
    return hub;
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(subscriber: HubSubscriber): () => void {
    if (this.closed) {
      subscriber.close();
      return () => {};
    }
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** Ends every stream and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    this.endStreams();
    // A database that is gone has nothing left to stop listening to.
    await this.unlisten?.().catch(() => {});
    await this.queue;
  }

  private endStreams(): void {
    for (const subscriber of [...this.subscribers]) subscriber.close();
    this.subscribers.clear();
  }

  private enqueue(payload: string): void {
    let notice: ChangeNotice;
    try {
      notice = JSON.parse(payload) as ChangeNotice;
    } catch (error) {
      this.onError(error);
      return;
    }
    // Who wants it is decided on arrival (`wants` only looks at the scope): a stream that
    // subscribes later reads its initial state after this commit, so that state holds the change.
    // The load starts at once, so that under load the notices behind a slow one do not wait for it
    // to start theirs; delivery stays in commit order through the queue.
    const interested = [...this.subscribers].filter((subscriber) => subscriber.wants(notice));
    if (interested.length === 0 || this.closed) return;
    // Loaded once for every stream; it may already be newer than the notice, never older.
    const load =
      notice.kind === 'delete'
        ? Promise.resolve(undefined)
        : loadJobWithParentUser(this.store.db, notice.job_id);
    load.catch(() => {}); // Handled in turn, in dispatch.
    this.queue = this.queue.then(() => this.dispatch(notice, interested, load)).catch(this.onError);
  }

  private async dispatch(
    notice: ChangeNotice,
    interested: HubSubscriber[],
    load: Promise<(JobRow & { parent_user: string | null }) | undefined>,
  ): Promise<void> {
    let loaded: (JobRow & { parent_user: string | null }) | undefined;
    try {
      loaded = await load;
    } catch (error) {
      // A load that fails (a pool that cannot connect) would leave these streams open without
      // this change for good. Ended, their clients resume with Last-Event-ID and get it replayed.
      for (const subscriber of interested) subscriber.close();
      throw error;
    }
    let row: JobRow | undefined;
    let parentUser: string | null | undefined;
    if (loaded) {
      const { parent_user, ...job } = loaded;
      row = job;
      parentUser = parent_user;
    }
    for (const subscriber of interested) subscriber.receive({ notice, row, parentUser });
  }
}

/** How an event stream is opened. */
export interface EventStreamOptions {
  store: Store;
  hub: ChangeHub;
  scope: SubscriptionScope;
  /** Who subscribes: the stream carries only the jobs this principal may read. */
  principal: Principal;
  /** The client's `Last-Event-ID`: resume after this stamp instead of starting with initialJobs. */
  resumeAfter: number | undefined;
  keepAliveMs: number;
  onError: (error: unknown) => void;
  /** Called once when the stream ends, whoever ends it. */
  onClose?: () => void;
}

/** Events a stream may hold unread before it gives up on a client that does not read. */
const MAX_QUEUED_EVENTS = 10_000;

const frame = (event: string, id: number, data: unknown) =>
  `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * A `text/event-stream` body (docs/protocol.md, "Live updates"). It subscribes to the hub
 * BEFORE it reads the initial state and holds live events back until that state is sent, then
 * drops those the state already covers: no change can fall between the two.
 */
export function openEventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const {
    store,
    hub,
    scope,
    principal,
    resumeAfter,
    keepAliveMs,
    onError,
    onClose = () => {},
  } = options;
  const readable = scopeOf(principal, 'read');
  const encoder = new TextEncoder();
  let closed = false;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepAlive);
        unsubscribe();
        onClose();
        try {
          controller.close();
        } catch {
          // Already closed by the reader going away.
        }
      };
      const send = (text: string) => {
        if (closed) return;
        controller.enqueue(encoder.encode(text));
        // A client that stops reading would make the queue grow forever; it can resume later.
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED_EVENTS) stop();
      };

      // The job stamp each job was last sent at, so a notice the stream has already
      // covered (the loaded job was newer than its notice) is not sent twice.
      const sentAt = new Map<string, number>();
      // The stamp the initial state (or the catch-up) covers: a notice at or below it, however
      // late PostgreSQL hands it over, is already in what the stream sent.
      let coveredUpTo = -1;
      const deliver = ({ notice, row, parentUser }: HubEvent) => {
        if (notice.stamp <= coveredUpTo) return;
        if (notice.kind === 'delete') {
          const gone = {
            user: notice.user,
            service: notice.service,
            parentUser: notice.parent_user,
          };
          if (!inScope(readable, gone)) return;
          sentAt.delete(notice.job_id);
          send(frame('jobDelete', notice.stamp, { job_id: notice.job_id, user: notice.user }));
          return;
        }
        if (!row) return; // Deleted since: its own delete notice follows.
        if (!inScope(readable, { user: row.user_name, service: row.service, parentUser })) return;
        if ((sentAt.get(row.job_id) ?? -1) >= notice.stamp) return;
        sentAt.set(row.job_id, Number(row.stamp));
        send(
          frame(notice.kind === 'insert' ? 'jobInsert' : 'jobUpdate', notice.stamp, toWireJob(row)),
        );
      };

      const heldBack: HubEvent[] = [];
      let live = false;
      unsubscribe = hub.subscribe({
        wants: (notice) =>
          'user' in scope ? notice.user === scope.user : scope.jobIds.includes(notice.job_id),
        receive: (event) => (live ? deliver(event) : heldBack.push(event)),
        close: stop,
      });

      send('retry: 1000\n\n');
      keepAlive = setInterval(() => send(': keep-alive\n\n'), keepAliveMs);

      const catchUp = async () => {
        if (resumeAfter === undefined) {
          // One event, sent in pieces as the pages come from the database: never the whole
          // state as one string. A client that goes away midway stops the reading.
          coveredUpTo = await readInitialJobs(store, scope, principal, LIMITS.sseInitialPageSize, {
            start: (stamp) => send(`event: initialJobs\nid: ${stamp}\ndata: [`),
            page: (rows, first) =>
              send(
                `${first ? '' : ','}${rows.map((row) => JSON.stringify(toWireJob(row))).join(',')}`,
              ),
            end: () => send(']\n\n'),
            stopped: () => closed,
          });
        } else {
          const missed = await readChangesSince(store, scope, resumeAfter, principal);
          for (const change of missed.changes) {
            if (change.kind === 'delete') {
              send(frame('jobDelete', change.stamp, { job_id: change.job_id, user: change.user }));
            } else {
              sentAt.set(change.row.job_id, change.stamp);
              const event = change.kind === 'insert' ? 'jobInsert' : 'jobUpdate';
              send(frame(event, change.stamp, toWireJob(change.row)));
            }
          }
          coveredUpTo = missed.stamp;
        }
        for (const event of heldBack) deliver(event);
        heldBack.length = 0;
        live = true;
      };
      catchUp().catch((error: unknown) => {
        onError(error);
        stop();
      });
    },
    cancel() {
      closed = true;
      clearInterval(keepAlive);
      unsubscribe();
      onClose();
    },
  });
}
