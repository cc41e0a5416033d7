import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from './sqliteMailboxStore.ts';
import {
  buildWriteEnvelope,
  FrameCollector,
  fakeSealedBlob,
  newTestRoom,
  runRelayMain,
} from './testing.ts';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const temps: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `relay/main.ts` with `env` added, expecting it to stop at start; returns its stderr. */
async function failedStart(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [tsx, 'relay/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d) => {
    err += String(d);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  return err;
}

describe('relay/main.ts', () => {
  it('shuts down on SIGTERM with exit code 0, leaving the SQLite file intact', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'hearth-main-')), 'nested', 'data');
    temps.push(path.dirname(path.dirname(dataDir)));
    const relay = await runRelayMain({ HEARTH_DATA: dataDir });
    children.push(relay.child);
    const url = `http://127.0.0.1:${relay.port}`;

    const room = newTestRoom();
    const blob = fakeSealedBlob(2048);
    const body = buildWriteEnvelope({
      room: room.room,
      secretKey: room.mailbox.secretKey,
      payload: blob,
    });
    const res = await fetch(`${url}/mailbox/${room.room}`, { method: 'POST', body });
    expect(await res.json()).toEqual({ seq: 1 });
    const ws = await FrameCollector.open(`ws://127.0.0.1:${relay.port}/signal`);

    relay.child.kill('SIGTERM');
    expect(await relay.exit).toBe(0);
    expect(await ws.closed()).toBe(1001);

    const file = path.join(dataDir, DATABASE_FILE);
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const row = db.prepare('SELECT seq, blob FROM entries WHERE room = ?').get(room.room) as {
        seq: number;
        blob: Buffer;
      };
      expect(row.seq).toBe(1);
      expect(new Uint8Array(row.blob)).toEqual(blob);
    } finally {
      db.close();
    }
  });

  it('says the data folder is the problem when it cannot be written, naming HEARTH_DATA', async () => {
    // A path below a file can never be a folder, whoever runs the relay (root included).
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hearth-main-')), 'a-file');
    writeFileSync(file, '');
    const err = await failedStart({
      PORT: '0',
      HOST: '127.0.0.1',
      HEARTH_DATA: path.join(file, 'data'),
    });
    expect(err).toContain('cannot write the data folder HEARTH_DATA=');
    expect(err).not.toContain('listen');
  });

  it('names HEARTH_DATABASE_URL, without its password, when the database is unreachable', async () => {
    // Port 9 (discard) on this machine: nothing answers there.
    const err = await failedStart({
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HEARTH_DATABASE_URL: 'postgres://hearth:s3cret@127.0.0.1:9/hearth',
    });
    expect(err).toContain(
      'Hearth relay cannot start: cannot use the database at HEARTH_DATABASE_URL=postgres://hearth:***@127.0.0.1:9/hearth',
    );
    expect(err).not.toContain('s3cret');
  });

  it('refuses to start on an invalid variable, naming it', async () => {
    const err = await failedStart({ PORT: 'eighty' });
    expect(err).toContain('Hearth relay cannot start: PORT must be a whole number');
  });
});
