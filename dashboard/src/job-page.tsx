import { eq, NotFoundError, type Job, type JobStatusClient } from 'job-status-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from './format';
import { allowedActions, type JobAction } from './permissions';
import { formatRoute } from './route';
import type { Principal } from './session';
import { Alert, PageTitle, Clock, JsonTree, ProgressBar, StatusBadge, When } from './widgets';

/** A status seen while the page is open, and when the server says it was set. */
interface SeenStatus {
  status: string;
  at: Date;
}

const MAX_LOG_LINES = 500;
const MAX_ANCESTORS = 10;
const MAX_CHILDREN = 100;

export function JobPage({
  client,
  jobId,
  principal,
}: {
  client: JobStatusClient;
  jobId: string;
  principal: Principal | undefined;
}) {
  const [job, setJob] = useState<Job>();
  const [gone, setGone] = useState<'missing' | 'deleted'>();
  const [error, setError] = useState<string>();
  const [history, setHistory] = useState<SeenStatus[]>([]);
  const [announcement, setAnnouncement] = useState('');

  const show = (next: Job) => {
    setJob(next);
    setHistory((seen) =>
      seen.at(-1)?.status === next.status
        ? seen
        : [...seen, { status: next.status, at: next.modified }],
    );
  };

  useEffect(() => {
    setJob(undefined);
    setGone(undefined);
    setHistory([]);
    let stopped = false;
    client.getJob(jobId).then(
      (found) => !stopped && show(found),
      (failure: unknown) => {
        if (stopped) return;
        if (failure instanceof NotFoundError) setGone('missing');
        else setError(describeError(failure));
      },
    );
    const subscription = client.subscribe({ jobIds: [jobId] });
    const offs = [
      subscription.on('initialJobs', ({ jobs }) => jobs[0] && show(jobs[0])),
      subscription.on('jobUpdate', ({ job: next }) => {
        setAnnouncement(
          `Status ${next.status}${next.currentStage ? `, stage ${next.currentStage}` : ''}`,
        );
        show(next);
      }),
      subscription.on('jobInsert', ({ job: next }) => {
        setGone(undefined);
        show(next);
      }),
      subscription.on('jobDelete', () => {
        setGone('deleted');
        setAnnouncement('This job was deleted');
      }),
    ];
    return () => {
      stopped = true;
      offs.forEach((off) => off());
      subscription.close();
    };
  }, [client, jobId]);

  if (gone === 'missing' && !job)
    return (
      <>
        <PageTitle>Job not found</PageTitle>
        <p>
          There is no job <code>{jobId}</code>. <a href="#/">Back to the jobs</a>
        </p>
      </>
    );
  if (!job)
    return (
      <>
        <PageTitle>Job</PageTitle>
        {error ? <Alert>Could not load the job: {error}</Alert> : <p>Loading…</p>}
      </>
    );

  return (
    <article class="job">
      <p class="crumbs">
        <a href="#/">← All jobs</a>
      </p>
      <PageTitle>
        {job.jobName ?? job.jobId} <StatusBadge status={job.status} />
      </PageTitle>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {gone === 'deleted' && (
        <Alert>
          This job was deleted. What is shown is its last state. <a href="#/">Back to the jobs</a>
        </Alert>
      )}
      {gone !== 'deleted' && (
        <Actions
          client={client}
          job={job}
          principal={principal}
          onDone={(next, action) => {
            if (action === 'delete') setGone('deleted');
            else show(next);
          }}
        />
      )}
      <section aria-labelledby="progress-title">
        <h2 id="progress-title">Progress</h2>
        {job.progress ? (
          <p class="progress-large">
            <ProgressBar progress={job.progress} label="Progress" />
            <span>
              {job.progress.completed} of {job.progress.total}
            </span>
          </p>
        ) : (
          <p class="muted">No progress reported.</p>
        )}
      </section>
      <div class="columns">
        <section aria-labelledby="fields-title">
          <h2 id="fields-title">Fields</h2>
          <Fields job={job} />
        </section>
        <section aria-labelledby="history-title">
          <h2 id="history-title">Status history</h2>
          <p class="muted">
            The server keeps no history of statuses: these are the statuses seen since this page was
            opened.
          </p>
          <ol class="history">
            <li>
              Created <When date={job.created} />
            </li>
            {history.map((seen, index) => (
              <li key={index}>
                <StatusBadge status={seen.status} />{' '}
                {index === 0 ? (
                  'when this page was opened'
                ) : (
                  <>
                    at <Clock date={seen.at} />
                  </>
                )}
              </li>
            ))}
          </ol>
        </section>
      </div>
      <section aria-labelledby="service-fields-title">
        <h2 id="service-fields-title">Service fields</h2>
        {Object.keys(job.serviceFields ?? {}).length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <div class="json">
            <JsonTree value={job.serviceFields} name="serviceFields" />
          </div>
        )}
      </section>
      <section aria-labelledby="relations-title">
        <h2 id="relations-title">Parent and children</h2>
        <Relations client={client} job={job} />
      </section>
      <section aria-labelledby="logs-title">
        <h2 id="logs-title">Logs</h2>
        <Logs job={job} />
      </section>
    </article>
  );
}

const ACTION_LABELS: Record<JobAction, string> = {
  abort: 'Abort',
  retry: 'Retry',
  delete: 'Delete',
};

function Actions({
  client,
  job,
  principal,
  onDone,
}: {
  client: JobStatusClient;
  job: Job;
  principal: Principal | undefined;
  onDone: (job: Job, action: JobAction) => void;
}) {
  const [busy, setBusy] = useState<JobAction>();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const actions = allowedActions(principal, job);
  if (actions.length === 0 && !error) return null;

  const run = async (action: JobAction) => {
    setBusy(action);
    setError(undefined);
    setConfirming(false);
    try {
      const calls = {
        abort: (id: string) => client.abortJob(id),
        retry: (id: string) => client.retryJob(id),
        delete: (id: string) => client.deleteJob(id),
      };
      onDone(await calls[action](job.jobId), action);
    } catch (failure) {
      setError(`${ACTION_LABELS[action]} failed: ${describeError(failure)}`);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="actions" role="group" aria-label="Actions">
      {actions.map((action) =>
        action === 'delete' && confirming ? (
          <span key={action} class="confirm">
            Delete this job for good?{' '}
            <button type="button" class="danger" ref={confirmButton} onClick={() => run('delete')}>
              Yes, delete
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button
            key={action}
            type="button"
            class={action === 'retry' ? '' : 'danger'}
            disabled={busy !== undefined}
            onClick={() => (action === 'delete' ? setConfirming(true) : run(action))}
          >
            {busy === action ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
          </button>
        ),
      )}
      {error && <Alert>{error}</Alert>}
    </div>
  );
}

function Fields({ job }: { job: Job }) {
  const text = (value: string | null | undefined) => value ?? <span class="muted">—</span>;
  return (
    <dl class="fields">
      <dt>Job id</dt>
      <dd>
        <code>{job.jobId}</code>
      </dd>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={job.status} />
      </dd>
      <dt>User</dt>
      <dd>{job.user}</dd>
      <dt>Name</dt>
      <dd>{text(job.jobName)}</dd>
      <dt>Service</dt>
      <dd>{text(job.service)}</dd>
      <dt>Stage</dt>
      <dd>{text(job.currentStage)}</dd>
      <dt>Current host</dt>
      <dd>{text(job.currentHost)}</dd>
      <dt>Origination host</dt>
      <dd>{text(job.originationHost)}</dd>
      <dt>Updates its parent</dt>
      <dd>{job.updateParent ? 'yes' : 'no'}</dd>
      <dt>Created</dt>
      <dd>
        <When date={job.created} /> <span class="muted">{job.created.toLocaleString()}</span>
      </dd>
      <dt>Modified</dt>
      <dd>
        <When date={job.modified} /> <span class="muted">{job.modified.toLocaleString()}</span>
      </dd>
    </dl>
  );
}

function JobLink({ job }: { job: Pick<Job, 'jobId' | 'jobName' | 'status'> }) {
  return (
    <>
      <a href={formatRoute({ view: 'job', jobId: job.jobId })}>{job.jobName ?? job.jobId}</a>{' '}
      <StatusBadge status={job.status} />
    </>
  );
}

/** The chain of parents above the job, the job, and its children (each one can be opened). */
function Relations({ client, job }: { client: JobStatusClient; job: Job }) {
  const [ancestors, setAncestors] = useState<Job[]>([]);
  const [missingParent, setMissingParent] = useState<string>();
  useEffect(() => {
    let stopped = false;
    (async () => {
      const chain: Job[] = [];
      let parentId = job.parentId;
      setMissingParent(undefined);
      while (parentId && chain.length < MAX_ANCESTORS && parentId !== job.jobId) {
        const id: string = parentId;
        try {
          const parent = await client.getJob(id);
          chain.unshift(parent);
          parentId = parent.parentId;
        } catch {
          if (!stopped) setMissingParent(id);
          break;
        }
      }
      if (!stopped) setAncestors(chain);
    })();
    return () => {
      stopped = true;
    };
  }, [client, job.jobId, job.parentId]);

  const self = (
    <li aria-current="page">
      <strong>{job.jobName ?? job.jobId}</strong> <StatusBadge status={job.status} />
      <Children client={client} parentId={job.jobId} childIds={job.childIds} open />
    </li>
  );
  const tree = ancestors.reduceRight<preact.JSX.Element>(
    (inner, ancestor) => (
      <li>
        <JobLink job={ancestor} />
        <ul class="tree">{inner}</ul>
      </li>
    ),
    self,
  );
  return (
    <>
      {missingParent && (
        <p class="muted">
          Parent <code>{missingParent}</code> could not be read.
        </p>
      )}
      {!job.parentId && <p class="muted">No parent.</p>}
      <ul class="tree relations">{tree}</ul>
    </>
  );
}

function Children({
  client,
  parentId,
  childIds,
  open = false,
}: {
  client: JobStatusClient;
  parentId: string;
  childIds?: readonly string[] | null | undefined;
  open?: boolean;
}) {
  const [expanded, setExpanded] = useState(open);
  const [children, setChildren] = useState<Job[]>();
  const [error, setError] = useState<string>();
  const childKey = (childIds ?? []).join(',');
  useEffect(() => {
    if (!expanded) return;
    let stopped = false;
    client.listJobs({ parentId: eq(parentId) }, { limit: MAX_CHILDREN }).then(
      (page) => !stopped && setChildren(page.jobs),
      (failure: unknown) => !stopped && setError(describeError(failure)),
    );
    return () => {
      stopped = true;
    };
  }, [client, parentId, childKey, expanded]);

  // The job's own children follow along live; deeper levels are read when opened. (Each stream
  // holds one of the browser's few connections to the server, hence only this level.)
  const followKey = open && children ? children.map((child) => child.jobId).join(',') : '';
  useEffect(() => {
    if (!followKey) return;
    const subscription = client.subscribe({ jobIds: followKey.split(',') });
    const replace = (latest: readonly Job[]) =>
      setChildren((current) =>
        current?.map((child) => latest.find((next) => next.jobId === child.jobId) ?? child),
      );
    // The initial state covers a change made between the read and the stream's start.
    const offs = [
      subscription.on('initialJobs', ({ jobs }) => replace(jobs)),
      subscription.on('jobUpdate', ({ job: next }) => replace([next])),
    ];
    return () => {
      offs.forEach((off) => off());
      subscription.close();
    };
  }, [client, followKey]);

  const list = children && (
    <ul class="tree">
      {children.map((child) => (
        <li key={child.jobId}>
          <JobLink job={child} />
          {(child.childIds?.length ?? 0) > 0 && (
            <Children client={client} parentId={child.jobId} childIds={child.childIds} />
          )}
        </li>
      ))}
      {children.length === 0 && <li class="muted">No children.</li>}
    </ul>
  );
  if (open) return error ? <Alert>{error}</Alert> : (list ?? null);
  return (
    <details onToggle={(event) => setExpanded(event.currentTarget.open)}>
      <summary>Children</summary>
      {error ? <Alert>{error}</Alert> : (list ?? <p class="muted">Loading…</p>)}
    </details>
  );
}

function Logs({ job }: { job: Job }) {
  const logs = job.logs ?? [];
  if (logs.length === 0) return <p class="muted">No log entries yet.</p>;
  const shown = logs.slice(-MAX_LOG_LINES);
  return (
    <>
      {logs.length > shown.length && (
        <p class="muted">
          The last {shown.length} of {logs.length} entries.
        </p>
      )}
      <ol class="logs" role="log" aria-label="Log entries, oldest first">
        {shown.map((entry, index) => (
          <li key={index} class={`log log-${entry.level}`}>
            <Clock date={entry.time} /> <span class="level">{entry.level}</span>{' '}
            <span class="message">{entry.message}</span>
            {entry.data !== undefined && (
              <div class="json">
                <JsonTree value={entry.data} name="data" depth={1} />
              </div>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
