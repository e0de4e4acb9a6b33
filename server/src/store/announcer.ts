import { randomBytes } from 'node:crypto';
import type { Store } from './store';
import type { ChangeNotice } from './write';

/** What a listener in this process hears: the changes of one committed transaction. */
export type LocalListener = (changes: readonly ChangeNotice[]) => void;

/**
 * The NOTIFY payload: which users' and jobs' changes committed (with each job's status and service
 * after it, when it still exists), up to which stamp, and which process sent it (its own hubs heard
 * the changes already, in process).
 */
export interface ChangesNotice {
  origin: string;
  stamp: number;
  changes: NoticeEntry[];
}

/** One change in a payload. */
export interface NoticeEntry {
  user: string;
  job_id: string;
  status?: string;
  service?: string | null;
}

/** Payloads stay well below PostgreSQL's 8000-byte NOTIFY limit (counted in UTF-8 bytes). */
const PAYLOAD_BUDGET = 7000;

/**
 * A status or service longer than this is left out of its entry. Both are free text of any
 * length, and an entry without them wakes every held claim (as one from an instance that does
 * not send them), so one job with a long name can neither push a payload past the limit nor hide
 * its change.
 */
const MAX_ROUTING_LENGTH = 256;

/**
 * Announces committed changes: at once to the hubs of this process, and with one NOTIFY for the
 * other instances on the database. The NOTIFY is sent after the commit, not inside the write's
 * transaction: PostgreSQL serialises the commits of notifying transactions (one lock from
 * pre-commit until the commit record is flushed), which would let one write commit at a time.
 * Here a NOTIFY covers every change committed while the previous one was on its way, so writers
 * commit concurrently and notices cost one statement per round, not one per write.
 */
export class ChangeAnnouncer {
  /** Tells this process's notices from other instances'. */
  readonly origin = randomBytes(8).toString('hex');
  private readonly listeners = new Set<LocalListener>();
  private pending: ChangeNotice[] = [];
  private sending: Promise<void> | undefined;
  /** Where a NOTIFY that failed is reported (the server's error log). */
  onError: (error: unknown) => void = () => {};

  constructor(private readonly store: Store) {}

  /** Calls `listener` with this process's committed changes; returns the function that stops it. */
  listen(listener: LocalListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Announces changes that have just committed. */
  announce(changes: readonly ChangeNotice[]): void {
    if (changes.length === 0) return;
    for (const listener of [...this.listeners]) listener(changes);
    this.pending.push(...changes);
    this.sending ??= this.sendPending().finally(() => {
      this.sending = undefined;
    });
  }

  /** Resolves once every change announced so far has been NOTIFYed (tests, shutdown). */
  async flushed(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async sendPending(): Promise<void> {
    while (this.pending.length > 0) {
      const changes = this.pending;
      this.pending = [];
      try {
        await this.store.db.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) payload', [
          this.store.channel,
          payloads(this.origin, changes),
        ]);
      } catch (error) {
        // Nothing is lost: the changes are in the tables, and other instances' hubs read them
        // on their next notice or sweep (see ChangeHub).
        this.onError(error);
      }
    }
  }
}

/** The changes as few payloads as fit the budget, each with its own highest stamp. */
export function payloads(origin: string, changes: readonly ChangeNotice[]): string[] {
  const texts: string[] = [];
  let batch: ChangesNotice = { origin, stamp: -1, changes: [] };
  let size = 0;
  const seen = new Set<string>();
  for (const change of changes) {
    const entry: NoticeEntry = { user: change.user, job_id: change.job_id };
    if (
      (change.status?.length ?? 0) <= MAX_ROUTING_LENGTH &&
      (change.service?.length ?? 0) <= MAX_ROUTING_LENGTH
    ) {
      if (change.status !== undefined) entry.status = change.status;
      if (change.service !== undefined) entry.service = change.service;
    }
    const key = JSON.stringify(entry);
    const bytes = Buffer.byteLength(key);
    if (size + bytes > PAYLOAD_BUDGET && batch.changes.length > 0) {
      texts.push(JSON.stringify(batch));
      batch = { origin, stamp: -1, changes: [] };
      size = 0;
      seen.clear();
    }
    batch.stamp = Math.max(batch.stamp, change.stamp);
    if (!seen.has(key)) {
      seen.add(key);
      batch.changes.push(entry);
      size += bytes + 1;
    }
  }
  texts.push(JSON.stringify(batch));
  return texts;
}

const announcers = new WeakMap<Store, ChangeAnnouncer>();

/** The announcer of a store: one per store object, shared by every server that uses it. */
export function announcerOf(store: Store): ChangeAnnouncer {
  let announcer = announcers.get(store);
  if (!announcer) {
    announcer = new ChangeAnnouncer(store);
    announcers.set(store, announcer);
  }
  return announcer;
}
