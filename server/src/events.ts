import { inScope, scopeOf, type Principal } from '#protocol';
import { announcerOf, type ChangesNotice } from './store/announcer';
import type { Unlisten } from './store/db';
import { sweeperOf } from './store/key-sweeper';
import { toWireJob, type JobRow } from './store/job-row';
import { stampFrontier } from './store/read-snapshot';
import type { Store } from './store/store';
import {
  readChangesSince,
  readInitialJobs,
  readRound,
  type RoundScopes,
  type SubscriptionScope,
} from './store/subscription-reads';
import type { ChangeNotice } from './store/write';
import { LIMITS } from './limits';

/** A change as the hub hands it out: what changed, and the job after it (none when deleted). */
export interface HubEvent {
  notice: ChangeNotice;
  row: JobRow | undefined;
  /** The owner of the row's parent job, for the visibility rule. */
  parentUser?: string | null;
}

/** One listener on the hub: an open event stream. */
export interface HubSubscriber {
  /** Whose changes the stream follows: the hub reads only these. */
  scope: SubscriptionScope;
  wants(notice: ChangeNotice): boolean;
  receive(event: HubEvent): void;
  close(): void;
}

/** The most jobs (and deletions) one round reads; a busier stretch takes several rounds. */
const ROUND_LIMIT = 1000;

/** How long to wait before reading again for a change announced but not settled yet. */
const SETTLE_RETRY_MS = [1, 2, 5, 10, 20, 50] as const;

/**
 * How often a hub with streams reads even without a notice: an instance that stopped between a
 * commit and its NOTIFY (see `ChangeAnnouncer`) delays a change on other instances by at most
 * this, and loses nothing.
 */
export const SWEEP_MS = 1000;

/**
 * This instance's single LISTEN on the changes channel, fanned out to its event streams. Every
 * instance on one database has its own hub, so each sees every instance's writes.
 *
 * A notice only says that something changed. The hub then reads, in one statement, every settled
 * change in its streams' scopes from where its previous read stopped up to the frontier (see
 * docs/architecture.md, "The change feed"), and hands them out in stamp order. So a stream gets
 * changes in stamp order with no gap between reads, whatever order transactions commit in, and
 * many notices cost one read.
 */
export class ChangeHub {
  private readonly subscribers = new Set<HubSubscriber>();
  // Subscribed while a read was under way: they join at the start of the next read, so that what
  // they read for their own start reaches at least as far as where that read begins.
  private readonly joining = new Map<HubSubscriber, () => void>();
  private closed = false;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  // The highest stamp announced that a stream wants; a read that stops below it reads again.
  private wantedUpTo = -1;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private unlisten: Unlisten | undefined;
  private unlistenLocal: (() => void) | undefined;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private readonly changeListeners = new Set<(notices: readonly ChangeNotice[]) => void>();

  private constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown) => void,
    /** Where the next read starts: every change below it has been handed out. */
    private readFrom: number,
  ) {}

  /**
   * Starts listening; resolves once every later commit's notice will reach it: this process's
   * from its announcer, other instances' through PostgreSQL.
   */
  static async start(store: Store, onError: (error: unknown) => void): Promise<ChangeHub> {
    const hub = new ChangeHub(store, onError, -1);
    const announcer = announcerOf(store);
    announcer.onError = onError;
    sweeperOf(store).onError = onError;
    hub.unlistenLocal = announcer.listen((changes) => hub.onChanges(changes));
    hub.unlisten = await store.db.listen(
      store.channel,
      (payload) => hub.onNotice(payload, announcer.origin),
      // Notices were lost: ended, the streams' clients resume with Last-Event-ID, which replays
      // what they missed.
      () => hub.endStreams(),
    );
    hub.sweepTimer = setInterval(() => {
      if (hub.subscribers.size > 0) hub.read();
    }, SWEEP_MS);
    hub.sweepTimer.unref?.();
    return hub;
  }

  // Taken after LISTEN, before the first stream joins: a change below it is complete in any later
  // snapshot. Taken on first use, so that a database that is down does not stop the server from
  // starting (its reads answer 500, then work once it is back).
  private startingPoint: Promise<void> | undefined;

  private async start(): Promise<void> {
    this.startingPoint ??= stampFrontier(this.store.db).then(
      (frontier) => {
        this.readFrom = Math.max(this.readFrom, frontier);
      },
      (error: unknown) => {
        this.startingPoint = undefined;
        throw error;
      },
    );
    await this.startingPoint;
  }

  /**
   * Adds a subscriber; resolves, with the function that removes it, once every change from the
   * hub's current read position on will reach it. A snapshot the subscriber reads after that
   * covers everything before that position.
   */
  async subscribe(subscriber: HubSubscriber): Promise<() => void> {
    const remove = () => {
      this.subscribers.delete(subscriber);
      this.joining.delete(subscriber);
    };
    if (this.closed) {
      subscriber.close();
      return remove;
    }
    await this.start();
    if (this.closed) {
      subscriber.close();
      return remove;
    }
    if (!this.reading) {
      this.subscribers.add(subscriber);
      return remove;
    }
    await new Promise<void>((resolve) => {
      this.joining.set(subscriber, resolve);
      this.readAgain = true;
    });
    return remove;
  }

  /**
   * Calls `listener` with the changes of every transaction any instance commits (the work queue's
   * idle claims wake on some of them); returns the function that stops it.
   */
  onChange(listener: (notices: readonly ChangeNotice[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  /** Ends every stream and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.sweepTimer);
    this.unlistenLocal?.();
    this.endStreams();
    // A database that is gone has nothing left to stop listening to.
    await this.unlisten?.().catch(() => {});
    await this.reading;
    // Other instances hear of every write this one answered before the database closes.
    await announcerOf(this.store).flushed();
    await sweeperOf(this.store).idle();
  }

  private endStreams(): void {
    for (const subscriber of [...this.subscribers, ...this.joining.keys()]) subscriber.close();
    for (const resolve of this.joining.values()) resolve();
    this.subscribers.clear();
    this.joining.clear();
  }

  private onNotice(payload: string, ownOrigin: string): void {
    let notice: ChangesNotice | ChangeNotice;
    try {
      notice = JSON.parse(payload) as ChangesNotice | ChangeNotice;
    } catch (error) {
      this.onError(error);
      return;
    }
    if ('origin' in notice) {
      // This process's own changes reached the hub already, from its announcer.
      if (notice.origin === ownOrigin) return;
      this.onChanges(
        notice.changes.map((change) => ({ ...change, stamp: notice.stamp, kind: 'update' })),
      );
    } else {
      this.onChanges([notice]);
    }
  }

  private onChanges(notices: readonly ChangeNotice[]): void {
    if (this.closed) return;
    for (const listener of [...this.changeListeners]) listener(notices);
    const wanting = [...this.subscribers, ...this.joining.keys()];
    let wanted = false;
    for (const notice of notices) {
      if (wanting.some((subscriber) => subscriber.wants(notice))) {
        this.wantedUpTo = Math.max(this.wantedUpTo, notice.stamp);
        wanted = true;
      }
    }
    if (wanted) this.read();
  }

  private read(): void {
    if (this.closed) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.reading = this.readOnce()
      .catch(this.onError)
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain) {
          this.readAgain = false;
          this.read();
        } else if (this.wantedUpTo >= this.readFrom && this.subscribers.size > 0) {
          // Announced, but a transaction with a smaller id is still running (maybe not ours,
          // so no notice may come for it): look again shortly.
          const delay = SETTLE_RETRY_MS[Math.min(this.retries++, SETTLE_RETRY_MS.length - 1)];
          this.retryTimer = setTimeout(() => this.read(), delay);
          this.retryTimer.unref?.();
        } else {
          this.retries = 0;
        }
      });
  }

  private async readOnce(): Promise<void> {
    for (const [subscriber, resolve] of this.joining) {
      this.subscribers.add(subscriber);
      resolve();
    }
    this.joining.clear();
    const streams = [...this.subscribers];
    if (streams.length === 0) {
      this.readFrom = Math.max(this.readFrom, await stampFrontier(this.store.db));
      return;
    }
    const scopes: RoundScopes = { users: [], jobIds: [] };
    for (const { scope } of streams) {
      if ('user' in scope) scopes.users.push(scope.user);
      else scopes.jobIds.push(...scope.jobIds);
    }
    let round;
    try {
      round = await readRound(
        this.store,
        this.readFrom,
        { users: [...new Set(scopes.users)], jobIds: [...new Set(scopes.jobIds)] },
        ROUND_LIMIT,
      );
    } catch (error) {
      // A read that fails (a pool that cannot connect) would leave these streams open without
      // these changes for good. Ended, their clients resume with Last-Event-ID and get them.
      for (const subscriber of streams) {
        this.subscribers.delete(subscriber);
        subscriber.close();
      }
      throw error;
    }
    if (round.next > this.readFrom) this.retries = 0;
    this.readFrom = round.next;
    if (round.changes.length >= ROUND_LIMIT) this.readAgain = true;
    for (const change of round.changes) {
      const event: HubEvent =
        change.kind === 'delete'
          ? {
              notice: {
                stamp: change.stamp,
                job_id: change.job_id,
                user: change.user,
                service: change.service,
                parent_user: change.parentUser,
                kind: 'delete',
              },
              row: undefined,
            }
          : {
              notice: {
                stamp: change.stamp,
                job_id: change.row.job_id,
                user: change.row.user_name,
                kind: change.kind,
              },
              row: change.row,
              parentUser: change.parentUser,
            };
      for (const subscriber of streams) {
        if (this.subscribers.has(subscriber) && subscriber.wants(event.notice)) {
          subscriber.receive(event);
        }
      }
    }
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

      // The stamp each job was last sent at, so that a change the stream has already sent (in
      // the initial state, which may hold changes above its frontier) is not sent twice.
      const sentAt = new Map<string, number>();
      // The stamp the initial state (or the catch-up) is complete up to: a change at or below
      // it is already in what the stream sent.
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
        const sent = sentAt.get(row.job_id);
        if (sent !== undefined && sent >= notice.stamp) return;
        sentAt.set(row.job_id, Number(row.stamp));
        // An insert for the client when it has not had the job and the job is newer than where
        // the stream started (its initial state, or the client's Last-Event-ID).
        const base = resumeAfter ?? coveredUpTo;
        const kind =
          sent === undefined && Number(row.created_stamp) > base ? 'jobInsert' : 'jobUpdate';
        send(frame(kind, notice.stamp, toWireJob(row)));
      };

      const heldBack: HubEvent[] = [];
      let live = false;

      send('retry: 1000\n\n');
      keepAlive = setInterval(() => send(': keep-alive\n\n'), keepAliveMs);

      const catchUp = async () => {
        const remove = await hub.subscribe({
          scope,
          wants: (notice) =>
            'user' in scope ? notice.user === scope.user : scope.jobIds.includes(notice.job_id),
          receive: (event) => (live ? deliver(event) : heldBack.push(event)),
          close: stop,
        });
        if (closed) return remove();
        unsubscribe = remove;
        if (resumeAfter === undefined) {
          // One event, sent in pieces as the pages come from the database: never the whole
          // state as one string. A client that goes away midway stops the reading.
          coveredUpTo = await readInitialJobs(store, scope, principal, LIMITS.sseInitialPageSize, {
            start: (stamp) => send(`event: initialJobs\nid: ${stamp}\ndata: [`),
            page: (rows, first) => {
              for (const row of rows) sentAt.set(row.job_id, Number(row.stamp));
              send(
                `${first ? '' : ','}${rows.map((row) => JSON.stringify(toWireJob(row))).join(',')}`,
              );
            },
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
