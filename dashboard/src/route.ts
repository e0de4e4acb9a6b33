// The dashboard's address lives in the URL fragment (`#/?status=FAILED`, `#/job/abc`): views
// can be bookmarked and shared, the browser's back button works, and the server serves one page.
// Only filters and ids go there, never a token.
import { JOB_STATUSES, type KnownJobStatus, type SortField } from 'job-status-client';

/** The job list's filters, order and page. */
export interface ListState {
  user: string;
  service: string;
  /** The start of the job name. */
  name: string;
  statuses: readonly KnownJobStatus[];
  sort: SortField;
  descending: boolean;
  page: number;
  pageSize: number;
}

export type Route = { view: 'list'; list: ListState } | { view: 'job'; jobId: string };

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const SORTABLE: readonly SortField[] = [
  'created',
  'modified',
  'jobName',
  'user',
  'service',
  'status',
  'currentStage',
];

export const DEFAULT_LIST: ListState = {
  user: '',
  service: '',
  name: '',
  statuses: [],
  sort: 'created',
  descending: true,
  page: 1,
  pageSize: 25,
};

function positive(text: string | null, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 ? value : fallback;
}

/** The view a fragment names; anything unreadable is the default list. */
export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const job = /^\/job\/(.+)$/.exec(path);
  if (job?.[1]) {
    try {
      return { view: 'job', jobId: decodeURIComponent(job[1]) };
    } catch {
      // a malformed escape: fall through to the list
    }
  }
  const params = new URLSearchParams(search);
  const sortParam = params.get('sort') ?? '';
  const sortField = sortParam.replace(/^-/, '') as SortField;
  const sortKnown = SORTABLE.includes(sortField);
  const pageSize = positive(params.get('size'), DEFAULT_LIST.pageSize);
  return {
    view: 'list',
    list: {
      user: params.get('user') ?? '',
      service: params.get('service') ?? '',
      name: params.get('name') ?? '',
      statuses: JOB_STATUSES.filter((status) => params.get('status')?.split(',').includes(status)),
      sort: sortKnown ? sortField : DEFAULT_LIST.sort,
      descending: sortKnown ? sortParam.startsWith('-') : DEFAULT_LIST.descending,
      page: positive(params.get('page'), 1),
      pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize)
        ? pageSize
        : DEFAULT_LIST.pageSize,
    },
  };
}

/** The fragment of a view; default values are left out. */
export function formatRoute(route: Route): string {
  if (route.view === 'job') return `#/job/${encodeURIComponent(route.jobId)}`;
  const { list } = route;
  const params = new URLSearchParams();
  if (list.user) params.set('user', list.user);
  if (list.service) params.set('service', list.service);
  if (list.name) params.set('name', list.name);
  if (list.statuses.length > 0) params.set('status', list.statuses.join(','));
  if (list.sort !== DEFAULT_LIST.sort || list.descending !== DEFAULT_LIST.descending)
    params.set('sort', `${list.descending ? '-' : ''}${list.sort}`);
  if (list.page !== 1) params.set('page', String(list.page));
  if (list.pageSize !== DEFAULT_LIST.pageSize) params.set('size', String(list.pageSize));
  const search = params.toString();
  return search ? `#/?${search}` : '#/';
}
