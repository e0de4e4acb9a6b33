import type { FollowContext } from './context';
import { loadFollow } from './load';
import type { SubscribeOptions } from './options';
import { createSubscription, type JobSubscription } from './subscription';
import type { SubscriptionTarget } from './target';

/**
 * Follows jobs through the Server-Sent Events endpoint (see {@link createSubscription}). The
 * subscription object is made at once; its connection code is a separate chunk, loaded on the
 * first subscription.
 *
 * @throws RequestValidationError at once for an empty user, an empty list or an invalid job id
 */
export function subscribe(
  ctx: FollowContext,
  target: SubscriptionTarget,
  options: SubscribeOptions = {},
): JobSubscription {
  return createSubscription(ctx, target, options, (...args) =>
    loadFollow().then((follow) => follow.followStream(...args)),
  );
}
