// One group's sync as the UI sees it: live peers (Transport) plus the relay's mailbox
// (MailboxSync), behind one honest status. It says "synced" only when everything was pulled
// and nothing waits to upload, and says when that was.
import { type Clock, systemClock } from './Clock.ts';
import type { MailboxSync } from './MailboxSync.ts';
import type { SyncStatus } from './syncStatus.ts';
import {
  Listeners,
  type MailboxNotice,
  type PresenceChannel,
  type Transport,
  type TransportState,
  type TransportStatus,
} from './Transport.ts';

export type { SyncStatus, SyncSummary, SyncWord } from './syncStatus.ts';
export { describeSync, summarizeStatus, timeAgo } from './syncStatus.ts';

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
