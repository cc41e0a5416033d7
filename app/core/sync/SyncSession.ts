// One group's sync as the UI sees it: live peers (Transport) plus the relay's mailbox
// (MailboxSync), behind one honest status. It says "synced" only when everything was pulled
// and nothing waits to upload, and says when that was.
import { type Clock, systemClock } from './Clock.ts';
import type { MailboxSync, MailboxSyncStatus } from './MailboxSync.ts';
import {
  Listeners,
  type MailboxNotice,
  type PresenceChannel,
  type Transport,
  type TransportState,
  type TransportStatus,
} from './Transport.ts';

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
  /**
   * Pull this often instead while the transport says the page is visible and no peer is
   * connected directly: the fallback when a relay's notice is lost. Default 30 s.
   */
  readonly relayPollIntervalMs?: number;
}

export class SyncSession {
  private readonly mailboxSync: MailboxSync;
  private readonly transport: Transport | null;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly relayPollIntervalMs: number;
  /** The interval the pending poll was set with. */
  private pollEvery = 0;
  private readonly listeners = new Listeners<SyncStatus>();
  private readonly unsubscribe: (() => void)[] = [];
  private current: SyncStatus;
  private started = false;
  private destroyed = false;
  private pollTimer: unknown = null;
  private lastTransportState: TransportState;
  private lastSignaling: boolean | undefined;

  constructor(options: SyncSessionOptions) {
    this.mailboxSync = options.mailboxSync;
    this.transport = options.transport ?? null;
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = options.pollIntervalMs ?? 60_000;
    this.relayPollIntervalMs = options.relayPollIntervalMs ?? 30_000;
    this.lastTransportState = this.transport?.status.state ?? 'disconnected';
    this.lastSignaling = this.transport?.status.signaling;
    this.current = this.compute();
    this.unsubscribe.push(this.mailboxSync.onStatus(() => this.emit()));
    if (this.transport) {
      this.unsubscribe.push(
        this.transport.onStatus((s) => {
          // Coming back online live is also a moment to catch up with the mailbox. Live peers
          // can outlast the relay, so its signaling coming back (or going away) counts too:
          // the pull then retries waiting uploads, or shows the relay unreachable right away
          // instead of at the next poll.
          const reconnected = s.state === 'connected' && this.lastTransportState !== 'connected';
          const signalingChanged =
            s.signaling !== undefined &&
            this.lastSignaling !== undefined &&
            s.signaling !== this.lastSignaling;
          this.lastTransportState = s.state;
          this.lastSignaling = s.signaling;
          if ((reconnected || signalingChanged) && this.started) void this.pullNow();
          // Visible with nobody live polls sooner, and the reverse later: re-arm the timer.
          else if (this.pollTimer !== null && this.pollInterval(s) !== this.pollEvery) {
            this.schedulePoll();
          }
          this.emit();
        }),
      );
      const notices = this.transport.onMailboxNotice?.((n) => this.onNotice(n));
      if (notices) this.unsubscribe.push(notices);
    }
  }

  /**
   * The relay says the room holds entries up to `seq`: pull at once if this device has not
   * received them. A pull already under way may have missed it, so the pull is a fresh one.
   */
  private onNotice(notice: MailboxNotice): void {
    if (!this.started || this.destroyed || notice.seq <= this.mailboxSync.cursor) return;
    this.mailboxSync
      .pull({ fresh: true })
      .catch(() => {
        // already reflected in mailboxSync.status
      })
      .finally(() => this.schedulePoll());
  }

  private pollInterval(t: TransportStatus | undefined = this.transport?.status): number {
    const fallback = t !== undefined && t.peers === 0 && t.visible === true;
    return fallback ? this.relayPollIntervalMs : this.pollIntervalMs;
  }

  /** Who is online now, when the live transport can tell. */
  get presence(): PresenceChannel | undefined {
    return this.transport?.presence;
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
    const every = this.pollInterval();
    if (!this.started || this.destroyed || every <= 0) return;
    this.pollEvery = every;
    this.pollTimer = this.clock.setTimeout(() => {
      this.pollTimer = null;
      void this.pullNow();
    }, every);
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
    let label = `Live with ${people}`;
    if (status.pendingUploads > 0) label = `${label} — ${waiting} for the relay`;
    // Those online now get everything; the others only once the relay is back.
    else if (status.relay === 'unreachable') label = `${label} — relay unreachable`;
    return { word: 'live', label };
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

/**
 * The second line under the status: how many changes wait for upload and when the relay last
 * answered, e.g. "1 change waiting for upload · relay unreachable, last reached 5 min ago".
 */
export function describeSync(
  status: Pick<SyncStatus, 'relay' | 'pendingUploads' | 'lastRelayContactAt'>,
  now: number = Date.now(),
): string {
  const pending =
    status.pendingUploads > 0
      ? `${changes(status.pendingUploads)} waiting for upload`
      : 'Nothing waiting for upload';
  const at = status.lastRelayContactAt;
  let relay: string;
  if (status.relay === 'unreachable') {
    relay =
      at === null ? 'relay unreachable' : `relay unreachable, last reached ${timeAgo(at, now)}`;
  } else if (at !== null) {
    relay = `relay reached ${timeAgo(at, now)}`;
  } else {
    relay = 'relay not reached yet';
  }
  return `${pending} · ${relay}`;
}
