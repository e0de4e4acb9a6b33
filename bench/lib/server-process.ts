// One reference server in a process of its own, for the bench's "two processes on one
// PostgreSQL" figure: started by fork() with the database in the environment, it reports its URL
// over IPC and stops when told.
import { startServer } from '../../server/src/index';

const server = await startServer({
  port: 0,
  logger: false,
  databaseUrl: process.env.BENCH_DATABASE_URL,
  databaseSchema: process.env.BENCH_SCHEMA,
  poolSize: Number(process.env.BENCH_POOL_SIZE ?? 16),
});
process.send?.({ url: server.url });
process.on('message', (message) => {
  if (message === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
