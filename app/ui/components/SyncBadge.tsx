// Honest sync state for one group: live, relayed, waiting or offline, in plain words, with a
// quieter second line saying how many changes wait for upload and when the relay last
// answered. The data-* attributes carry the same facts for tests and styling. No inline
// styles: the CSP forbids style attributes, so all looks come from classes in styles.css.
import { createUniqueId, Show } from 'solid-js';
import { describeSync, type SyncStatus, summarizeStatus } from '../../core/sync/syncStatus.ts';
import { useNow } from '../state/hearthContext.ts';

export function SyncBadge(props: { status: SyncStatus | undefined }) {
  const now = useNow();
  const detailId = createUniqueId();
  const summary = () =>
    props.status
      ? summarizeStatus(props.status, now())
      : { word: 'waiting' as const, label: 'Connecting…' };
  const detail = () => (props.status ? describeSync(props.status, now()) : null);
  // An unreachable relay is already the label ("Offline", "relay unreachable") and the line
  // below; other errors are news and are spelled out.
  const error = () =>
    props.status?.error && props.status.errorCode !== 'network' ? props.status.error : null;
  // Label and detail are two facts: apart on screen (the detail wraps below at narrow
  // widths) and in the text (a separator, so they never read as one run-on sentence).
  return (
    <span class="sync-line">
      <span
        class="status"
        role="status"
        data-state={summary().word}
        data-testid="sync-status"
        data-pending={props.status?.pendingUploads}
        data-relay={props.status?.relay}
        data-live={props.status?.live}
        aria-describedby={detail() ? detailId : undefined}
        // A plain-words error is a sentence or two: it takes a wrapping line of its own.
        classList={{ 'has-error': !!error() }}
      >
        {summary().label}
        <Show when={error()}>
          {(text) => (
            <>
              {' '}
              <span class="status-error">{text()}</span>
            </>
          )}
        </Show>
      </span>
      <Show when={detail()}>
        {(text) => (
          <>
            <span class="status-sep" aria-hidden="true">
              {' · '}
            </span>
            <span id={detailId} data-testid="sync-detail" class="status-detail">
              {text()}
            </span>
          </>
        )}
      </Show>
    </span>
  );
}
