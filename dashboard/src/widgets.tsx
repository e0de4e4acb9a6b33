import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { clockTime, relativeTime, statusGroup } from './format';

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${statusGroup(status)}`}>{status}</span>;
}

/** A time, shown relative, with the exact local time on hover and for assistive technology. */
export function When({ date }: { date: Date | undefined }) {
  if (!date) return <span class="muted">—</span>;
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()}>
      {relativeTime(date)}
    </time>
  );
}

export function Clock({ date }: { date: Date }) {
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()}>
      {clockTime(date)}
    </time>
  );
}

export function ProgressBar({
  progress,
  label,
}: {
  progress: { completed: number; total: number; percent: number } | null | undefined;
  label: string;
}) {
  if (!progress) return <span class="muted">—</span>;
  return (
    <span class="progress">
      <progress max={progress.total} value={progress.completed} aria-label={label} />
      <span>{progress.percent}%</span>
    </span>
  );
}

export function Alert({ children }: { children: ComponentChildren }) {
  return (
    <p class="alert" role="alert">
      {children}
    </p>
  );
}

const MAX_ENTRIES = 200;
const MAX_DEPTH = 12;

/**
 * JSON as a tree of disclosure widgets (`<details>`): keyboard and screen readers handle them
 * natively. The first level is open; long lists are cut with a note.
 */
export function JsonTree({
  value,
  name,
  depth = 0,
}: {
  value: unknown;
  name: string;
  depth?: number;
}) {
  if (value === null || typeof value !== 'object') {
    return (
      <span class="leaf">
        <span class="key">{name}</span>: <code>{JSON.stringify(value)}</code>
      </span>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const kind = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  if (entries.length === 0 || depth >= MAX_DEPTH) {
    return (
      <span class="leaf">
        <span class="key">{name}</span>:{' '}
        <code>{entries.length === 0 ? (Array.isArray(value) ? '[]' : '{}') : '…'}</code>
      </span>
    );
  }
  return (
    <details open={depth < 1}>
      <summary>
        <span class="key">{name}</span> <span class="muted">{kind}</span>
      </summary>
      <ul class="tree">
        {entries.slice(0, MAX_ENTRIES).map(([key, item]) => (
          <li key={key}>
            <JsonTree value={item} name={key} depth={depth + 1} />
          </li>
        ))}
        {entries.length > MAX_ENTRIES && (
          <li class="muted">… {entries.length - MAX_ENTRIES} more not shown</li>
        )}
      </ul>
    </details>
  );
}

/**
 * The heading of a view. It takes the focus when it appears, so keyboard and screen-reader users
 * start at the top of a view they move to (a single-page app has no page load to do that).
 */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return (
    <h1 id="page-title" tabIndex={-1} ref={heading}>
      {children}
    </h1>
  );
}
