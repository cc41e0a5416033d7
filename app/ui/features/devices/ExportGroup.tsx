import { createSignal } from 'solid-js';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { useHearth } from '../../state/hearthContext.ts';
import { saveGroupExport } from './deviceClient.ts';

/** Members tab: the group as readable Markdown and as JSON, so nobody is locked in. */
export function ExportGroup(props: { handle: GroupHandle }) {
  const hearth = useHearth();
  const [status, setStatus] = createSignal('');
  const [error, setError] = createSignal('');
  const run = async () => {
    setError('');
    setStatus('');
    try {
      await saveGroupExport(hearth, props.handle.id);
      setStatus('Two files were saved to your downloads: one to read, one for other programs.');
    } catch (e) {
      setError(messageFor(e, 'The export could not be made. Try again.'));
    }
  };
  return (
    <section class="card" aria-labelledby="export-group-title">
      <h3 id="export-group-title">Export group</h3>
      <p class="hint">Everything in the group as a readable Markdown file and a JSON file.</p>
      <button type="button" onClick={run}>
        Export group
      </button>
      <p role="status">{status()}</p>
      <p class="error" role="alert">
        {error()}
      </p>
    </section>
  );
}
