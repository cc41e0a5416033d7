// The relay on PostgreSQL against the relay on SQLite, run by scripts/bench.mjs as
// `node --import tsx bench/relay/pgBench.ts OUT.json` (it starts its own PostgreSQL):
// - relay_sqlite_writes_per_s / relay_pg_writes_per_s: signed mailbox writes of 1 KB sealed
//   blobs accepted per second by one relay process, the very same writes (built and signed
//   beforehand, so the load generator does no signing while measured) sent to each with the
//   same concurrency over 64 rooms;
// - relay_two_process_deliveries_per_cpu_s: the relay bench's headline fan-out across two
//   relay processes sharing that PostgreSQL (bench/relay/relayLoad.mjs).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  buildWriteEnvelope,
  fakeSealedBlob,
  newTestRoom,
  type RelayMain,
  runRelayMain,
} from '../../relay/testing.ts';
import { startTestPostgres } from '../../relay/testPostgres.ts';
import { runTwoProcessFanout } from './relayLoad.mjs';

const ROOMS = 64;
const WARMUP = 100;
const MEASURED = 1000;
const CONCURRENCY = 16;
const BLOB_BYTES = 1024;

const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

/** Every process under `root` whose name is postgres (the server and its backends). */
function postgresPids(root = process.pid): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // ended while we looked
    }
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]!) ?? []));
  return all.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}

/** The same signed writes for every store: `count` envelopes round-robin over the rooms. */
function buildWrites(count: number): { room: string; body: Uint8Array<ArrayBuffer> }[] {
  const rooms = Array.from({ length: ROOMS }, newTestRoom);
  return Array.from({ length: count }, (_, i) => {
    const room = rooms[i % ROOMS]!;
    return {
      room: room.room,
      body: buildWriteEnvelope({
        room: room.room,
        secretKey: room.mailbox.secretKey,
        payload: fakeSealedBlob(BLOB_BYTES),
      }),
    };
  });
}

/** Sends `writes` with CONCURRENCY in flight, each from its own address; returns writes/s. */
async function send(
  base: string,
  writes: { room: string; body: Uint8Array<ArrayBuffer> }[],
  firstAddress: number,
): Promise<number> {
  let next = 0;
  let failed = '';
  const lane = async () => {
    while (next < writes.length && !failed) {
      const i = next++;
      const a = firstAddress + i;
      const res = await fetch(`${base}/mailbox/${writes[i]!.room}`, {
        method: 'POST',
        body: writes[i]!.body,
        // One address per write: the per-address limits stay out of a throughput measurement.
        headers: { 'X-Forwarded-For': `10.${(a >> 16) & 255}.${(a >> 8) & 255}.${a & 255}` },
      });
      if (res.status !== 200) failed = `write ${i} answered ${res.status}: ${await res.text()}`;
      else await res.arrayBuffer();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  if (failed) throw new Error(failed);
  return writes.length / ((performance.now() - t0) / 1000);
}

async function writesPerSecond(
  env: Record<string, string>,
  warmup: ReturnType<typeof buildWrites>,
  measured: ReturnType<typeof buildWrites>,
): Promise<number> {
  let relay: RelayMain | null = null;
  try {
    relay = await runRelayMain({ ...env, HEARTH_TRUST_PROXY: '1', HEARTH_STATIC: tmpdir() });
    const base = `http://127.0.0.1:${relay.port}`;
    await send(base, warmup, 0);
    return await send(base, measured, warmup.length);
  } finally {
    if (relay) {
      relay.child.kill('SIGTERM');
      await relay.exit;
    }
  }
}

const out: Record<string, number | string> = {};
const log = (msg: string) => process.stderr.write(`pgBench: ${msg}\n`);
const postgres = await startTestPostgres({ durable: true });
const dataDir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-sqlite-'));
try {
  const warmup = buildWrites(WARMUP);
  const measured = buildWrites(MEASURED);
  // Alternated and repeated, so a change in the machine's load does not fall on one store.
  const sqlite: number[] = [];
  const pg: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const dir = path.join(dataDir, String(pass));
    const runSqlite = async () => {
      sqlite.push(await writesPerSecond({ HEARTH_DATA: dir }, warmup, measured));
      log(`SQLite: ${round(sqlite.at(-1)!)} writes/s`);
    };
    const runPg = async () => {
      const url = await postgres.freshDatabase();
      pg.push(await writesPerSecond({ HEARTH_DATABASE_URL: url }, warmup, measured));
      log(`PostgreSQL: ${round(pg.at(-1)!)} writes/s`);
    };
    if (pass % 2 === 0) {
      await runSqlite();
      await runPg();
    } else {
      await runPg();
      await runSqlite();
    }
  }
  out.relay_sqlite_writes_per_s = round(Math.max(...sqlite));
  out.relay_pg_writes_per_s = round(Math.max(...pg));
  out.relay_sqlite_writes_runs = sqlite.map((x) => round(x)).join(' ');
  out.relay_pg_writes_runs = pg.map((x) => round(x)).join(' ');
  log('two relay processes on PostgreSQL: fan-out…');
  Object.assign(
    out,
    await runTwoProcessFanout(await postgres.freshDatabase(), () => postgresPids(), {}),
  );
} finally {
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
const file = process.argv[2];
if (file) await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
else process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.exit(0);
