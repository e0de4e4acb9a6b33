import type { JobTable } from '../store/job-table';

/** One request as the routes see it. */
export interface RouteContext {
  table: JobTable;
  request: Request;
  url: URL;
  requestId: string;
}
