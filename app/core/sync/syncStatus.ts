// How a group's sync stands, in words for the status line: the status SyncSession reports
// and the functions that describe it. Apart from SyncSession so that the status line, on every
// screen, does not load the sync stack (lazy.ts) with the app's start.
import type { MailboxSyncStatus } from './MailboxSync.ts';
import type { TransportState } from './Transport.ts';

export interface SyncStatus extends MailboxSyncStatus {
  /** Peers connected live right now. */
  readonly live: number;
  readonly transport: TransportState;
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
