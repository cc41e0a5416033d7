import { type SyncStatus, summarizeStatus } from '../../core/sync/SyncSession.ts';
import { useNow } from '../state/hearthContext.ts';

/** Honest sync state for one group: live, relayed, waiting or offline, in plain words. */
export function SyncBadge(props: { status: SyncStatus | undefined }) {
  const now = useNow();
  const summary = () =>
    props.status
      ? summarizeStatus(props.status, now())
      : { word: 'waiting' as const, label: 'Connecting…' };
  return (
    <span class="status" role="status" data-state={summary().word} data-testid="sync-status">
      {summary().label}
      {props.status?.error ? ` — ${props.status.error}` : ''}
    </span>
  );
}
