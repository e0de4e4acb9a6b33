import { eq, oneOf, type JobFilter, type ListJobsOptions } from 'job-status-client';
import type { ListState } from './route';

// The highest code point: every name that starts with the prefix sorts below prefix + this
// (the server compares strings by code point).
const AFTER_EVERY_SUFFIX = '\u{10FFFF}';

/**
 * The filter of the list's fields. The name matches by prefix (`$gte` and `$lt`), the only text
 * match the protocol's operators can express, so paging and counts stay exact.
 */
export function filterOf(list: ListState, withStatuses = true): JobFilter {
  const filter: JobFilter = {};
  const user = list.user.trim();
  const service = list.service.trim();
  if (user) filter.user = eq(user);
  if (service) filter.service = eq(service);
  if (list.name) filter.jobName = { $gte: list.name, $lt: list.name + AFTER_EVERY_SUFFIX };
  if (withStatuses && list.statuses.length > 0) filter.status = oneOf(list.statuses);
  return filter;
}

/** The page of the list: offset from the page number, the order with `job_id` breaking ties. */
export function pageOptionsOf(list: ListState): ListJobsOptions {
  const direction = list.descending ? '-' : '';
  return {
    limit: list.pageSize,
    offset: (list.page - 1) * list.pageSize,
    sort: `${direction}${list.sort},${direction}jobId`,
  };
}
