import { createEffect, createSignal, onCleanup, Show } from 'solid-js';
import type { StorageError } from '../../../core/storage/StorageAdapter.ts';
import { href } from '../../router.ts';
import { settingsRoute } from '../../screens/routes.ts';
import { useHearth, useHearthVersion } from '../../state/hearthContext.ts';
import { askPersistence } from './browserStorage.ts';

/**
 * Always mounted: asks the browser to keep Hearth's data once the device holds a group (the
 * first one created or joined), and says so when saving fails for lack of space, with the way
 * out (export a backup, free space). Nothing already saved is touched by such a failure.
 */
export function DurabilityWatch() {
  const hearth = useHearth();
  const version = useHearthVersion();
  let asked = false;
  createEffect(() => {
    version();
    if (!asked && hearth.groups().length > 0) {
      asked = true;
      void askPersistence();
    }
  });
  const [failure, setFailure] = createSignal<StorageError | null>(null);
  onCleanup(hearth.onStorageError((e) => setFailure(e)));
  return (
    <Show when={failure()}>
      {(e) => (
        <div class="toast" role="alert">
          {e().message}{' '}
          <Show when={e().code === 'quota'}>
            <a href={`${href(settingsRoute)}`} onClick={() => setFailure(null)}>
              Export a backup
            </a>{' '}
          </Show>
          <button type="button" onClick={() => setFailure(null)}>
            Dismiss
          </button>
        </div>
      )}
    </Show>
  );
}
