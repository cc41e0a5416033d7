// A relay the test owns, as a separate child process on its own free 127.0.0.1 port and data
// folder, so a spec can stop it (SIGTERM, as an operator would) and start it again on the same
// port and data, and watch the app notice both by itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../relay/freePort.ts';

export interface RelayProcessOptions {
  /** Extra relay environment, e.g. { HEARTH_ROOM_MAX_BYTES: '4KiB' }. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface RelayProcess {
  /** http://127.0.0.1:<port>, where the relay serves the app, the mailbox and signaling. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly running: boolean;
  /** Starts the relay again on the same port and data folder. */
  start(): Promise<void>;
  /** SIGTERM, then waits until the process has exited. */
  stop(): Promise<void>;
  /** Stops for good and deletes the data folder. */
  dispose(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..');

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) {
      throw new Error(`the relay exited with code ${child.exitCode}: ${output()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the relay did not become healthy at ${url}: ${output()}`);
}

export async function startRelayProcess(options: RelayProcessOptions = {}): Promise<RelayProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-e2e-relay-'));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    if (child) throw new Error('the relay is already running');
    let output = '';
    const proc = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'relay/main.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        HEARTH_DATA: dataDir,
        // HEARTH_E2E_STATIC points at another build, e.g. one no other run is rebuilding.
        HEARTH_STATIC: process.env.HEARTH_E2E_STATIC ?? 'dist',
        HEARTH_TEST_TAP: '1',
        HEARTH_LOG: 'silent',
        // Every member is 127.0.0.1: lift the per-client budgets (relay/budgets.test.ts).
        HEARTH_CLIENT_NEW_ROOMS_PER_DAY: '1000000',
        HEARTH_CLIENT_BYTES_PER_DAY: '1024GiB',
        ...options.env,
      },
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    child = proc;
    try {
      await waitHealthy(url, proc, () => output);
    } catch (e) {
      await stop();
      throw e;
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc) return;
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((res) => proc.once('exit', () => res()));
      proc.kill('SIGTERM');
      // The relay exits within 10 s of SIGTERM by itself; past 20 s it is stuck.
      const stuck = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(stuck);
    }
    child = null;
  };

  await start();
  return {
    url,
    port,
    dataDir,
    get running() {
      return child !== null;
    },
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
