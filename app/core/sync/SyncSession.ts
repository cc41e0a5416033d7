// One group's sync as the UI sees it: live peers (Transport) plus the relay's mailbox
// (MailboxSync), behind one honest status. It says "synced" only when everything was pulled
// and nothing waits to upload, and says when that was.
import { type Clock, systemClock } from './Clock.ts';
import type { MailboxSync, MailboxSyncStatus } from './MailboxSync.ts';
import { Listeners, type Transport, type TransportState } from './Transport.ts';

export interface SyncStatus extends MailboxSyncStatus {
  /** Peers connected live right now. */
  readonly live: number;
  readonly transport: TransportState;
}

export interface SyncSessionOptions {
  readonly mailboxSync: MailboxSync;
  /** Live transport; none means mailbox only. */
  readonly transport?: Transport | null;
  readonly clock?: Clock;
  /** Pull this often while started, in case nobody is live to push changes. 0 turns it off. */
  readonly pollIntervalMs?: number;
}

export class SyncSession {
  private readonly mailboxSync: MailboxSync;
  private readonly transport: Transport | null;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly listeners = new Listeners<SyncStatus>();
  private readonly unsubscribe: (() => void)[] = [];
  private current: SyncStatus;
  private started = false;
  private destroyed = false;
  private pollTimer: unknown = null;
  private lastTransportState: TransportState;

  constructor(options: SyncSessionOptions) {
    this.mailboxSync = options.mailboxSync;
    this.transport = options.transport ?? null;
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = options.pollIntervalMs ?? 60_000;
    this.lastTransportState = this.transport?.status.state ?? 'disconnected';
    this.current = this.compute();
    this.unsubscribe.push(this.mailboxSync.onStatus(() => this.emit()));
    if (this.transport) {
      this.unsubscribe.push(
        this.transport.onStatus((s) => {
          // Coming back online live is also a moment to catch up with the mailbox.
          if (s.state === 'connected' && this.lastTransportState !== 'connected' && this.started) {
            void this.pullNow();
          }
          this.lastTransportState = s.state;
          this.emit();
        }),
      );
    }
  }

  get status(): SyncStatus {
    return this.current;
  }

  onStatus(cb: (status: SyncStatus) => void): () => void {
    return this.listeners.add(cb);
  }

  start(): void {
    if (this.started || this.destroyed) return;
    this.started = true;
    this.transport?.start();
    this.mailboxSync.start();
    void this.pullNow();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.clearPoll();
    this.transport?.stop();
    this.mailboxSync.stop();
  }

  /**
   * Pulls from the relay and retries waiting uploads right away. Call it on start, focus,
   * coming online and reconnecting. Never rejects: failures show in the status.
   */
  async pullNow(): Promise<void> {
    if (this.destroyed) return;
    this.mailboxSync.retryNow();
    try {
      await this.mailboxSync.pull();
    } catch {
      // already reflected in mailboxSync.status
    } finally {
      this.schedulePoll();
    }
  }

  /** Queues and uploads every change seen so far (call it when the page is being hidden). */
  flush(): Promise<void> {
    return this.mailboxSync.flush();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.stop();
    this.destroyed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.transport?.destroy();
    await this.mailboxSync.destroy();
    this.listeners.clear();
  }

  private schedulePoll(): void {
    this.clearPoll();
    if (!this.started || this.destroyed || this.pollIntervalMs <= 0) return;
    this.pollTimer = this.clock.setTimeout(() => {
      this.pollTimer = null;
      void this.pullNow();
    }, this.pollIntervalMs);
  }

  private clearPoll(): void {
    if (this.pollTimer !== null) this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private compute(): SyncStatus {
    const t = this.transport?.status ?? { state: 'disconnected' as const, peers: 0 };
    return { ...this.mailboxSync.status, live: t.peers, transport: t.state };
  }

  private emit(): void {
    const next = this.compute();
    const prev = this.current;
    const keys = Object.keys(next) as (keyof SyncStatus)[];
    if (keys.every((k) => next[k] === prev[k])) return;
    this.current = next;
    this.listeners.emit(next);
  }
}

export type SyncWord = 'live' | 'relayed' | 'offline' | 'waiting';

export interface SyncSummary {
  readonly word: SyncWord;
  readonly label: string;
}

function changes(n: number): string {
  return n === 1 ? '1 change' : `${n} changes`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function timeAgo(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 45) return 'just now';
  const m = Math.max(1, Math.round(s / 60));
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  return d === 1 ? '1 day ago' : `${d} days ago`;
}

/** One word and a short label for the status line; never claims a sync that did not happen. */
export function summarizeStatus(
  status: Pick<SyncStatus, 'live' | 'relay' | 'pendingUploads' | 'lastSyncedAt'>,
  now: number = Date.now(),
): SyncSummary {
  const waiting = `${changes(status.pendingUploads)} waiting`;
  if (status.live > 0) {
    const people = status.live === 1 ? '1 person' : `${status.live} people`;
    return {
      word: 'live',
      label:
        status.pendingUploads > 0
          ? `Live with ${people} — ${waiting} for the relay`
          : `Live with ${people}`,
    };
  }
  if (status.relay === 'unreachable') {
    let label = 'Offline';
    if (status.pendingUploads > 0) label = `Offline — ${waiting}`;
    else if (status.lastSyncedAt !== null)
      label = `Offline — last synced ${timeAgo(status.lastSyncedAt, now)}`;
    return { word: 'offline', label };
  }
  if (status.pendingUploads > 0) return { word: 'waiting', label: `${waiting} to upload` };
  if (status.relay === 'reachable' && status.lastSyncedAt !== null) {
    return { word: 'relayed', label: `Synced via relay ${timeAgo(status.lastSyncedAt, now)}` };
  }
  return { word: 'waiting', label: 'Checking for changes…' };
}
