import { PGlite } from '@electric-sql/pglite';
import type { Db, Sql } from './db';

/** PGlite, embedded: in memory when `dataDir` is absent or `memory://`, else in that folder. */
export async function openPgliteDb(dataDir?: string): Promise<Db> {
  const pglite =
    dataDir && dataDir !== 'memory://' ? await PGlite.create(dataDir) : await PGlite.create();

  // PGlite is one connection behind a mutex: a query on `pglite` from inside a transaction
  // would wait for that transaction forever, so the transaction hands out its own handle.
  const asSql = (target: Pick<PGlite, 'query'>): Sql => ({
    async query<Row>(text: string, params?: readonly unknown[]) {
      const result = await target.query<Row>(text, params ? [...params] : undefined);
      return { rows: result.rows };
    },
  });

  return {
    engine: 'pglite',
    ...asSql(pglite),
    transaction: (fn, last) =>
      pglite.transaction(async (tx) => {
        const result = await fn(asSql(tx));
        const statement = last?.(result);
        if (statement) await tx.query(statement.text, [...statement.params]);
        return result;
      }),
    async listen(channel, onPayload) {
      const unlisten = await pglite.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => pglite.close(),
  };
}
