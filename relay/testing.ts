// Test helpers for the relay: valid signed mailbox writes (the app has its own encoder in
// app/core), a decoder for read answers, and a WebSocket client that collects frames.

import { type ChildProcess, spawn } from 'node:child_process';
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nacl from 'tweetnacl';
import { WebSocket } from 'ws';
import {
  deriveEpochKeys,
  generateGroupKey,
  type MailboxKeyPair,
} from '../app/core/crypto/index.ts';
import {
  ENVELOPE_VERSION,
  type EntryKind,
  HEADER_BYTES,
  KIND_UPDATE,
  signingMessage,
} from './envelope.ts';
import { createRelay, type Relay, type RelayOptions } from './server.ts';

export interface TestRoom {
  room: string;
  mailbox: MailboxKeyPair;
}

/** A fresh room id with its mailbox keypair, derived like the app derives them. */
export function newTestRoom(): TestRoom {
  const keys = deriveEpochKeys(generateGroupKey());
  return { room: keys.roomId, mailbox: keys.mailbox };
}

export interface WriteSpec {
  room: string;
  /** 64-byte ed25519 secret key (nacl layout: seed || public key). */
  secretKey: Uint8Array;
  /** Defaults to the public half of secretKey; set it to test a key mismatch. */
  publicKey?: Uint8Array;
  kind?: EntryKind;
  supersedes?: number;
  timestamp?: number;
  writeId?: Uint8Array;
  payload: Uint8Array;
}

/** DER prefix of an Ed25519 private key (PKCS#8) before its 32-byte seed. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Encodes and signs one write as docs/PROTOCOL.md describes. */
export function buildWriteEnvelope(spec: WriteSpec): Uint8Array<ArrayBuffer> {
  const body = new Uint8Array(HEADER_BYTES + spec.payload.length + 64);
  const view = new DataView(body.buffer);
  body[0] = ENVELOPE_VERSION;
  body[1] = spec.kind ?? KIND_UPDATE;
  view.setBigUint64(2, BigInt(spec.supersedes ?? 0));
  view.setBigUint64(10, BigInt(spec.timestamp ?? Date.now()));
  body.set(spec.writeId ?? nacl.randomBytes(16), 18);
  body.set(spec.publicKey ?? spec.secretKey.subarray(32), 34);
  body.set(spec.payload, HEADER_BYTES);
  const end = HEADER_BYTES + spec.payload.length;
  // Node's Ed25519 gives the same (deterministic) signature as tweetnacl, much faster.
  const signature = cryptoSign(
    null,
    signingMessage(spec.room, body.subarray(0, end)),
    createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519, spec.secretKey.subarray(0, 32)]),
      format: 'der',
      type: 'pkcs8',
    }),
  );
  body.set(signature, end);
  return body;
}

/** A stand-in sealed blob: version byte 1 then `size - 1` random bytes. */
export function fakeSealedBlob(size: number): Uint8Array {
  const blob = nacl.randomBytes(size);
  blob[0] = 1;
  return blob;
}

export interface ReadEntry {
  seq: number;
  kind: number;
  blob: Uint8Array;
}

/** Decodes a mailbox read answer: [version][seq u64][kind u8][length u32][blob]... */
export function decodeReadAnswer(body: Uint8Array): ReadEntry[] {
  if (body[0] !== 1) throw new Error(`unexpected read answer version ${body[0]}`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out: ReadEntry[] = [];
  let o = 1;
  while (o < body.length) {
    const seq = Number(view.getBigUint64(o));
    const kind = body[o + 8]!;
    const length = view.getUint32(o + 9);
    out.push({ seq, kind, blob: body.slice(o + 13, o + 13 + length) });
    o += 13 + length;
  }
  return out;
}

/** A raw WebSocket client that keeps every text frame it receives, parsed. */
export class FrameCollector {
  readonly frames: Record<string, unknown>[] = [];
  closeCode: number | null = null;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.frames.push(JSON.parse(String(data)) as Record<string, unknown>);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => {});
  }

  static async open(
    url: string,
    options: ConstructorParameters<typeof WebSocket>[2] = {},
  ): Promise<FrameCollector> {
    const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
    const collector = new FrameCollector(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`unexpected response ${res.statusCode}`)),
      );
    });
    return collector;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves once `predicate` holds; rejects after `timeoutMs` with a description. */
  async until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the next frame matching `match` among those not yet seen by this call. */
  async next(
    match: (f: Record<string, unknown>) => boolean,
    what: string,
  ): Promise<Record<string, unknown>> {
    let found: Record<string, unknown> | undefined;
    await this.until(() => {
      found = this.frames.find(match);
      return found !== undefined;
    }, what);
    this.frames.splice(this.frames.indexOf(found!), 1);
    return found!;
  }

  /** Round-trips a ping so every frame sent before it has been processed by the relay. */
  async sync(): Promise<void> {
    this.send({ type: 'ping' });
    await this.next((f) => f.type === 'pong', 'pong');
  }

  async closed(what = 'close'): Promise<number> {
    await this.until(() => this.closeCode !== null, what);
    return this.closeCode!;
  }

  close(): void {
    this.ws.close();
  }
}

export interface TestRelay {
  relay: Relay;
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  dataDir: string;
  /** Closes the relay (if still open) and removes its temporary data folder. */
  dispose(): Promise<void>;
}

/** Starts a silent relay on 127.0.0.1, port 0, with its SQLite file in a fresh temp folder. */
export async function startTestRelay(options: RelayOptions = {}): Promise<TestRelay> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'hearth-relay-'));
  const relay = createRelay({
    host: '127.0.0.1',
    port: 0,
    staticDir: null,
    logLevel: 'silent',
    ...options,
    dataDir,
  });
  const address = await relay.listen();
  const url = `http://127.0.0.1:${address.port}`;
  return {
    relay,
    url,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    dataDir,
    async dispose() {
      await relay.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RelayMain {
  child: ChildProcess;
  port: number;
  output: () => string;
  exit: Promise<number | null>;
}

const root = path.resolve(import.meta.dirname, '..');

/**
 * Runs `tsx relay/main.ts` as `npm run relay` does (127.0.0.1, a free port, silent, plus
 * `env`) and waits for its ready line; a relay that does not get there is killed.
 */
export function runRelayMain(env: Record<string, string>): Promise<RelayMain> {
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsx, 'relay/main.ts'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', HEARTH_LOG: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  child.stderr!.on('data', (d) => {
    out += String(d);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not start:\n${out}`));
    }, 30_000);
    child.stdout!.on('data', () => {
      const m = /Hearth is running: open http:\/\/localhost:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => out, exit });
      }
    });
    exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`relay exited before it was ready:\n${out}`));
    });
  });
}
