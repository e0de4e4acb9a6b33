import {
  eq,
  JOB_STATUSES,
  type Job,
  type JobPage,
  type JobStatusClient,
  type KnownJobStatus,
  type SortField,
} from 'job-status-client';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from './format';
import { filterOf, pageOptionsOf } from './query';
import { formatRoute, PAGE_SIZES, type ListState } from './route';
import { Alert, PageTitle, ProgressBar, StatusBadge, When } from './widgets';

/** Changes that arrive together are answered with one reload of the page and the counts. */
const REFRESH_DELAY_MS = 250;
/** Without a user to follow, new jobs are looked for this often (the page's own jobs are live). */
const POLL_MS = 5_000;
const TEXT_DELAY_MS = 300;

type Counts = { all: number } & Partial<Record<KnownJobStatus, number>>;
type Live = 'connecting' | 'live' | 'reconnecting' | 'stopped';

const COLUMNS: { field: SortField | undefined; label: string }[] = [
  { field: 'jobName', label: 'Name' },
  { field: 'status', label: 'Status' },
  { field: 'user', label: 'User' },
  { field: 'service', label: 'Service' },
  { field: 'currentStage', label: 'Stage' },
  { field: undefined, label: 'Progress' },
  { field: 'created', label: 'Created' },
  { field: 'modified', label: 'Modified' },
];

export function ListPage({
  client,
  list,
  onChange,
}: {
  client: JobStatusClient;
  list: ListState;
  /** A new state for the list; `replace` when typing, so history keeps no keystrokes. */
  onChange: (list: ListState, replace?: boolean) => void;
}) {
  const [page, setPage] = useState<JobPage>();
  const [counts, setCounts] = useState<Counts>();
  const [error, setError] = useState<string>();
  const [live, setLive] = useState<Live>('connecting');
  const [announcement, setAnnouncement] = useState('');
  const listKey = formatRoute({ view: 'list', list });
  const generation = useRef(0);
  const shown = useRef(page);
  shown.current = page;

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    const unfiltered = filterOf(list, false);
    try {
      const [found, all, ...byStatus] = await Promise.all([
        client.listJobs(filterOf(list), pageOptionsOf(list)),
        client.listJobs(unfiltered, { limit: 1 }),
        ...JOB_STATUSES.map((status) =>
          client.listJobs({ ...unfiltered, status: eq(status) }, { limit: 1 }),
        ),
      ]);
      if (mine !== generation.current) return;
      const next: Counts = { all: all.totalCount };
      JOB_STATUSES.forEach((status, index) => (next[status] = byStatus[index]?.totalCount ?? 0));
      setPage(found);
      setCounts(next);
      setError(undefined);
    } catch (failure) {
      if (mine === generation.current) setError(describeError(failure));
    }
  }, [client, listKey]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The stream outlives filter changes that keep its target: it must reload the current list.
  const latestRefresh = useRef(refresh);
  latestRefresh.current = refresh;
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const refreshSoon = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void latestRefresh.current(), REFRESH_DELAY_MS);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  // Live: every job of the user in the filter, or else the jobs on this page.
  const user = list.user.trim();
  const visibleIds = (page?.jobs ?? []).map((job) => job.jobId);
  const targetKey = user ? `user:${user}` : `jobs:${[...visibleIds].sort().join(',')}`;
  useEffect(() => {
    if (!user && visibleIds.length === 0) {
      setLive('live');
      return;
    }
    setLive('connecting');
    const subscription = client.subscribe(user ? { user } : { jobIds: visibleIds });
    const offs = [
      subscription.on('open', () => setLive('live')),
      subscription.on('reconnecting', () => setLive('reconnecting')),
      // The initial state covers a change made between the page's read and the stream's start.
      subscription.on('initialJobs', ({ jobs }) =>
        setPage((current) => current && jobs.reduce(replaceJob, current)),
      ),
      subscription.on('jobUpdate', ({ job }) => {
        const before = shown.current?.jobs.find((each) => each.jobId === job.jobId);
        if (before && before.status !== job.status)
          setAnnouncement(`${job.jobName ?? job.jobId} is now ${job.status}`);
        setPage((current) => current && replaceJob(current, job));
        refreshSoon();
      }),
      subscription.on('jobInsert', ({ job }) => {
        setAnnouncement(`New job ${job.jobName ?? job.jobId}`);
        refreshSoon();
      }),
      subscription.on('jobDelete', () => refreshSoon()),
    ];
    subscription.done.catch(() => setLive('stopped'));
    return () => {
      offs.forEach((off) => off());
      subscription.close();
    };
  }, [client, targetKey]);

  // Jobs that start to match (new ones, above all) cannot be followed by id: look now and then.
  useEffect(() => {
    if (user) return;
    const interval = setInterval(async () => {
      try {
        const found = await client.listJobs(filterOf(list), pageOptionsOf(list));
        const ids = (jobs: readonly Job[]) => jobs.map((job) => job.jobId).join(',');
        const current = shown.current;
        const same =
          current?.totalCount === found.totalCount && ids(current.jobs) === ids(found.jobs);
        if (!same) refreshSoon();
      } catch {
        // the next look, or the live stream, will tell
      }
    }, POLL_MS);
    return () => clearInterval(interval);
  }, [client, listKey]);

  const pages = page ? Math.max(1, Math.ceil(page.totalCount / list.pageSize)) : 1;
  const set = (change: Partial<ListState>, replace = false) =>
    onChange({ ...list, page: 1, ...change }, replace);

  return (
    <>
      <PageTitle>Jobs</PageTitle>
      <Filters list={list} onChange={set} />
      <StatusCounts
        counts={counts}
        selected={list.statuses}
        onChange={(statuses) => set({ statuses })}
      />
      <p class="live-state" data-live={live}>
        <span class="dot" aria-hidden="true" />{' '}
        {live === 'live'
          ? user
            ? `Live: every job of ${user}`
            : 'Live: the jobs on this page; new jobs are looked for every 5 s'
          : live === 'reconnecting'
            ? 'Reconnecting…'
            : live === 'stopped'
              ? 'Live updates stopped; reload the page'
              : 'Connecting…'}
      </p>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {error && <Alert>Could not load the jobs: {error}</Alert>}
      <JobTable
        jobs={page?.jobs}
        list={list}
        onSort={(sort, descending) => set({ sort, descending })}
      />
      {page && (
        <nav class="pager" aria-label="Pages">
          <button
            type="button"
            disabled={list.page <= 1}
            onClick={() => onChange({ ...list, page: list.page - 1 })}
          >
            ‹ Previous
          </button>
          <span>
            Page {list.page} of {pages} · {page.totalCount} {page.totalCount === 1 ? 'job' : 'jobs'}
          </span>
          <button
            type="button"
            disabled={!page.hasMore}
            onClick={() => onChange({ ...list, page: list.page + 1 })}
          >
            Next ›
          </button>
          <label>
            Per page{' '}
            <select
              value={String(list.pageSize)}
              onChange={(event) => set({ pageSize: Number(event.currentTarget.value) })}
            >
              {PAGE_SIZES.map((size) => (
                <option key={size} value={String(size)}>
                  {size}
                </option>
              ))}
            </select>
          </label>
        </nav>
      )}
    </>
  );
}

function replaceJob(page: JobPage, job: Job): JobPage {
  const index = page.jobs.findIndex((each) => each.jobId === job.jobId);
  if (index < 0) return page;
  const jobs = [...page.jobs];
  jobs[index] = job;
  return { ...page, jobs };
}

function Filters({
  list,
  onChange,
}: {
  list: ListState;
  onChange: (change: Partial<ListState>, replace?: boolean) => void;
}) {
  const [draft, setDraft] = useState({ user: list.user, service: list.service, name: list.name });
  // The address wins when it changes from outside (back button, a link).
  useEffect(() => {
    setDraft({ user: list.user, service: list.service, name: list.name });
  }, [list.user, list.service, list.name]);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const type = (field: 'user' | 'service' | 'name', value: string) => {
    const next = { ...draft, [field]: value };
    setDraft(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onChange(next, true), TEXT_DELAY_MS);
  };
  const field = (name: 'user' | 'service' | 'name', label: string, hint?: string) => (
    <label>
      <span>{label}</span>
      <input
        type="search"
        name={name}
        value={draft[name]}
        autoComplete="off"
        spellcheck={false}
        title={hint}
        onInput={(event) => type(name, event.currentTarget.value)}
      />
    </label>
  );
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter jobs"
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current);
        onChange(draft);
      }}
    >
      {field('user', 'User')}
      {field('service', 'Service')}
      {field('name', 'Name starts with', 'Matches the start of the job name, case-sensitive')}
      <div class="filter-buttons">
        <button type="submit">Apply</button>
        <button
          type="button"
          onClick={() => {
            clearTimeout(timer.current);
            onChange({ user: '', service: '', name: '', statuses: [] });
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

function StatusCounts({
  counts,
  selected,
  onChange,
}: {
  counts: Counts | undefined;
  selected: readonly KnownJobStatus[];
  onChange: (statuses: KnownJobStatus[]) => void;
}) {
  const toggle = (status: KnownJobStatus) =>
    onChange(
      selected.includes(status)
        ? selected.filter((each) => each !== status)
        : JOB_STATUSES.filter((each) => each === status || selected.includes(each)),
    );
  return (
    <div class="counts" role="group" aria-label="Jobs by status (press to filter)">
      <button type="button" aria-pressed={selected.length === 0} onClick={() => onChange([])}>
        All <span class="count">{counts?.all ?? '…'}</span>
      </button>
      {JOB_STATUSES.map((status) => (
        <button
          key={status}
          type="button"
          class={`status-toggle status-${status.toLowerCase()}`}
          aria-pressed={selected.includes(status)}
          onClick={() => toggle(status)}
        >
          {status} <span class="count">{counts?.[status] ?? '…'}</span>
        </button>
      ))}
    </div>
  );
}

function JobTable({
  jobs,
  list,
  onSort,
}: {
  jobs: readonly Job[] | undefined;
  list: ListState;
  onSort: (field: SortField, descending: boolean) => void;
}) {
  return (
    <div class="table-wrap">
      <table class="jobs">
        <caption class="visually-hidden">
          Jobs, {list.descending ? 'newest' : 'oldest'} first by {list.sort}
        </caption>
        <thead>
          <tr>
            {COLUMNS.map(({ field, label }) => {
              const sorted = field !== undefined && field === list.sort;
              return (
                <th
                  key={label}
                  scope="col"
                  aria-sort={sorted ? (list.descending ? 'descending' : 'ascending') : undefined}
                >
                  {field ? (
                    <button
                      type="button"
                      class="sort"
                      onClick={() => onSort(field, sorted ? !list.descending : false)}
                    >
                      {label}
                      <span aria-hidden="true">
                        {sorted ? (list.descending ? ' ▼' : ' ▲') : ''}
                      </span>
                    </button>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {jobs?.map((job) => (
            <tr key={job.jobId} data-job-id={job.jobId}>
              <td data-label="Name">
                <a href={formatRoute({ view: 'job', jobId: job.jobId })}>
                  {job.jobName ?? job.jobId}
                </a>
              </td>
              <td data-label="Status">
                <StatusBadge status={job.status} />
              </td>
              <td data-label="User">{job.user}</td>
              <td data-label="Service">{job.service ?? '—'}</td>
              <td data-label="Stage">{job.currentStage ?? '—'}</td>
              <td data-label="Progress">
                <ProgressBar
                  progress={job.progress}
                  label={`Progress of ${job.jobName ?? job.jobId}`}
                />
              </td>
              <td data-label="Created">
                <When date={job.created} />
              </td>
              <td data-label="Modified">
                <When date={job.modified} />
              </td>
            </tr>
          ))}
          {jobs?.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} class="empty">
                No job matches these filters.
              </td>
            </tr>
          )}
          {!jobs && (
            <tr>
              <td colSpan={COLUMNS.length} class="empty">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
