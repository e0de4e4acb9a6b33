/** A job in its wire form (snake_case keys), as the model and the server store it. */
export type WireJob = Record<string, unknown> & { job_id: string; user: string; status: string };
