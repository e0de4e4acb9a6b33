import type { Principal } from '#protocol';
import type { JobTable } from '../store/job-table';

/** One request as the routes see it. */
export interface RouteContext {
  table: JobTable;
  request: Request;
  url: URL;
  requestId: string;
  /** Who is asking; what it may see and do follows `protocol/access.ts`. */
  principal: Principal;
}
