// One reference server in a process of its own, as it runs in production: its event loop is not
// the load generator's. Forked by `startServerProcesses` (bench/lib/servers.ts) with the database
// in the environment, it reports its URL over IPC, mints tokens when asked and stops when told.
import { startServer, type Grant } from '../../server/src/index';

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
  } else if (typeof message === 'object' && message !== null && 'createToken' in message) {
    const grant = (message as { createToken: Grant }).createToken;
    void server.createToken(grant).then((issued) => process.send?.({ token: issued.token }));
  }
});
