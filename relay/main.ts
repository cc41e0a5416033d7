// Entry point of `tsx relay/main.ts`: reads the environment, starts the relay, and on
// SIGTERM or SIGINT shuts down cleanly (no new connections, writes finished, SQLite closed).
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type RelayConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { openPostgres, type PostgresParts, redactUrl } from './postgres.ts';
import { createRelay } from './server.ts';

function fail(message: string): never {
  process.stderr.write(`Hearth relay cannot start: ${message}\n`);
  process.exit(1);
}

let config: RelayConfig;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) fail(e.message);
  throw e;
}

const logger = createLogger(config.logLevel);
let tls: { cert: Buffer; key: Buffer } | null = null;
if (config.tls) {
  try {
    tls = { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
  } catch (e) {
    fail(
      `cannot read the TLS certificate or key (HEARTH_TLS_CERT / HEARTH_TLS_KEY): ${(e as Error).message}`,
    );
  }
}
if (config.testTap) {
  logger.warn('HEARTH_TEST_TAP is on: every received frame is kept in memory. Tests only!');
}

let database: PostgresParts | null = null;
if (config.databaseUrl !== null) {
  try {
    database = await openPostgres(config.databaseUrl, logger);
  } catch (e) {
    fail(
      `cannot use the database at HEARTH_DATABASE_URL=${redactUrl(config.databaseUrl)}: ` +
        `${(e as Error).message}; check that PostgreSQL runs there and the user may create tables`,
    );
  }
  logger.info('mailbox, invites and signaling on PostgreSQL', {
    database: redactUrl(config.databaseUrl),
  });
}

let relay: ReturnType<typeof createRelay>;
try {
  relay = createRelay({
    ...database,
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    staticDir: config.staticDir,
    origins: config.origins,
    iceServers: config.iceServers,
    tls,
    trustProxy: config.trustProxy,
    testTap: config.testTap,
    logger,
    mailbox: config.mailbox,
    signaling: config.signaling,
    metricsToken: config.metricsToken,
    connectRelays: config.connectRelays,
  });
  const address = await relay.listen();
  process.stdout.write(
    `Hearth is running: open ${tls ? 'https' : 'http'}://localhost:${address.port}/\n`,
  );
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  const listening = err.syscall === 'listen' || err.syscall === 'bind';
  if (err.code === 'EADDRINUSE') fail(`port ${config.port} is already in use; set PORT to another`);
  if (err.code === 'EACCES' && listening) {
    fail(`not allowed to listen on port ${config.port}; try PORT=8787`);
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    fail(`HOST=${config.host} is not an address of this machine; try HOST=0.0.0.0`);
  }
  // The data folder: made and opened before listening (SQLite, mkdir).
  if (
    !listening &&
    (err.code === 'SQLITE_CANTOPEN' ||
      err.code === 'SQLITE_READONLY' ||
      ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST'].includes(err.code ?? ''))
  ) {
    fail(
      `cannot write the data folder HEARTH_DATA=${config.dataDir} (${err.code}); ` +
        'make it a folder this user can write, or point HEARTH_DATA elsewhere',
    );
  }
  fail(err.message);
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  const force = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  relay.close().then(
    () => process.exit(0),
    (e: unknown) => {
      logger.error('shutdown failed', { error: String(e) });
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
