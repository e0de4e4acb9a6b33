import type { HttpBindings } from '@hono/node-server';
import type { Principal } from '#protocol';
import type { BodyLimit } from './body';

/** Hono's typing of this app: the Node request (absent under `app.request` in tests) and ids. */
export interface JssEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    requestId: string;
    /** Set when fault injection destroyed the connection after the handler ran. */
    dropped: boolean;
    /** Who is asking; set by the authentication middleware on every `/jss/1.0` route. */
    principal: Principal;
    /** Set by `limitBody` under Node: `readJsonBody` counts the body against it. */
    bodyLimit: BodyLimit | undefined;
  };
}
