// Signaling shared by several relay processes behind one address: each process hands the
// others every publish it accepted and every mailbox notice, and delivers theirs to its own
// subscribers. On PostgreSQL this is LISTEN/NOTIFY on one channel. A NOTIFY payload is at
// most 8000 bytes, so a larger frame (a long SDP offer) goes into a table and only its id is
// notified. What crosses is exactly what a local subscriber would get (the frame as the sender
// wrote it, up to its closing brace); the receiving process adds its own "clients" count.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from './logger.ts';
import { openOn } from './pgMailboxStore.ts';

/** What another process sends: a publish (the frame's bytes up to its last '}') or a notice. */
export interface BusHandlers {
  publish(topic: string, head: Buffer): void;
  notice(topic: string, seq: number): void;
}

export interface SignalBus {
  /** Starts delivering the other processes' traffic to `handlers`. */
  attach(handlers: BusHandlers): void;
  publish(topic: string, head: Buffer): void;
  notice(topic: string, seq: number): void;
  close(): Promise<void>;
}

const CHANNEL = 'hearth_signal';
/** Under NOTIFY's 8000-byte limit with room for the header. */
const MAX_INLINE = 7900;
/** Spilled frames older than this are deleted; every process has read them long before. */
const SPILL_TTL_MS = 60_000;
const RECONNECT_MAX_MS = 30_000;

const SCHEMA = `
CREATE UNLOGGED TABLE IF NOT EXISTS hearth_signal_spill (
  id bigserial PRIMARY KEY,
  body text NOT NULL,
  at bigint NOT NULL
);
`;

/**
 * Payloads: `p <origin> <n> <topic length> <topic><frame head>`, `n <origin> <n> <seq> <topic>`,
 * and `s <origin> <n> <id>` for a spilled `p`. `n` (per sender, increasing) keeps two equal
 * frames apart: PostgreSQL folds identical notifications sent in one transaction.
 */
export class PgSignalBus implements SignalBus {
  private readonly origin = randomBytes(6).toString('base64url');
  private sent = 0;
  private queue: string[] = [];
  private sending = false;
  private handlers: BusHandlers | null = null;
  private listener: pg.Client | null = null;
  /** Deliveries wait behind a spilled frame being fetched, so order per sender is kept. */
  private chain: Promise<void> = Promise.resolve();
  private fetching = 0;
  private closed = false;
  private reconnectMs = 500;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => {
      this.pool
        .query('DELETE FROM hearth_signal_spill WHERE at < $1', [Date.now() - SPILL_TTL_MS])
        .catch((e: unknown) => this.logger.warn('signal spill sweep failed', { error: String(e) }));
    }, SPILL_TTL_MS);
    this.sweeper.unref();
  }

  static async open(url: string, logger: Logger): Promise<PgSignalBus> {
    return openOn(url, 2, SCHEMA, async (pool) => {
      const bus = new PgSignalBus(url, pool, logger);
      await bus.listen();
      return bus;
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel === CHANNEL && msg.payload !== undefined) this.receive(msg.payload);
    });
    const lost = (e?: unknown) => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => {});
      if (this.closed) return;
      this.logger.warn('signaling between relay processes lost; reconnecting', {
        error: String(e ?? 'connection ended'),
      });
      this.reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
    this.reconnectMs = 500;
  }

  private reconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().then(
        () => this.logger.info('signaling between relay processes restored'),
        () => {
          this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
          this.reconnect();
        },
      );
    }, this.reconnectMs);
    this.reconnectTimer.unref();
  }

  attach(handlers: BusHandlers): void {
    this.handlers = handlers;
  }

  publish(topic: string, head: Buffer): void {
    this.enqueue(`p ${this.origin} ${++this.sent} ${topic.length} ${topic}${head.toString()}`);
  }

  notice(topic: string, seq: number): void {
    this.enqueue(`n ${this.origin} ${++this.sent} ${seq} ${topic}`);
  }

  private enqueue(payload: string): void {
    if (this.closed) return;
    this.queue.push(payload);
    if (!this.sending) void this.drain();
  }

  /** Sends everything queued, small payloads many to a statement, in the order queued. */
  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const batch = this.queue;
        this.queue = [];
        let small: string[] = [];
        for (const payload of batch) {
          if (Buffer.byteLength(payload) <= MAX_INLINE) {
            small.push(payload);
            continue;
          }
          if (small.length > 0) await this.notifyAll(small);
          small = [];
          await this.spill(payload);
        }
        if (small.length > 0) await this.notifyAll(small);
      }
    } catch (e) {
      // Signaling is best effort: a lost batch costs a retry in the clients, not the relay.
      this.logger.warn('signaling to other relay processes failed', { error: String(e) });
    } finally {
      this.sending = false;
    }
    if (this.queue.length > 0 && !this.closed) void this.drain();
  }

  private notifyAll(payloads: string[]): Promise<unknown> {
    return this.pool.query({
      name: 'hearth_notify',
      text: `SELECT pg_notify('${CHANNEL}', p) FROM unnest($1::text[]) WITH ORDINALITY AS t(p, i) ORDER BY i`,
      values: [payloads],
    });
  }

  private spill(payload: string): Promise<unknown> {
    const [, origin, n] = payload.split(' ', 3);
    return this.pool.query(
      `WITH s AS (INSERT INTO hearth_signal_spill (body, at) VALUES ($1, $2) RETURNING id)
       SELECT pg_notify('${CHANNEL}', $3 || id) FROM s`,
      [payload, Date.now(), `s ${origin} ${n} `],
    );
  }

  private receive(payload: string): void {
    const second = payload.indexOf(' ', 2);
    if (payload.slice(2, second) === this.origin) return;
    if (payload[0] === 's') {
      const id = payload.slice(payload.lastIndexOf(' ') + 1);
      this.fetching++;
      const body = this.pool
        .query<{ body: string }>('SELECT body FROM hearth_signal_spill WHERE id = $1', [id])
        .then(
          (r) => r.rows[0]?.body ?? null,
          () => null,
        );
      this.chain = this.chain.then(async () => {
        const full = await body;
        this.fetching--;
        if (full !== null) this.deliver(full);
      });
      return;
    }
    if (this.fetching > 0) this.chain = this.chain.then(() => this.deliver(payload));
    else this.deliver(payload);
  }

  private deliver(payload: string): void {
    const handlers = this.handlers;
    if (!handlers || this.closed) return;
    try {
      // Skip "<kind> <origin> <n> ".
      let at = payload.indexOf(' ', payload.indexOf(' ', 2) + 1) + 1;
      const space = payload.indexOf(' ', at);
      const number = Number(payload.slice(at, space));
      at = space + 1;
      if (payload[0] === 'p') {
        const topic = payload.slice(at, at + number);
        handlers.publish(topic, Buffer.from(payload.slice(at + number)));
      } else if (payload[0] === 'n') {
        handlers.notice(payload.slice(at), number);
      }
    } catch (e) {
      this.logger.error('signaling from another relay process failed', { error: String(e) });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // What is queued still leaves (for up to 2 s), so a publish accepted just before shutdown
    // is not lost.
    const deadline = Date.now() + 2000;
    while (this.sending && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    clearInterval(this.sweeper);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
    await this.pool.end();
  }
}
