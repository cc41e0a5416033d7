import { createResource, Show } from 'solid-js';
import { storageState } from './browserStorage.ts';

const size = (bytes: number): string => {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
};

/** Settings, "Storage on this device": whether the browser keeps it for sure, and how full. */
export function StorageSettings() {
  const [state] = createResource(storageState);
  return (
    <section class="card" aria-labelledby="storage-title">
      <h2 id="storage-title">Storage on this device</h2>
      <Show when={state()}>
        {(s) => (
          <>
            <p data-persisted={String(s().persisted)}>
              <Show
                when={s().persisted}
                fallback={
                  <>
                    The browser may clear Hearth’s data when the device runs short of space, or
                    after some weeks without use (Safari does after seven days).
                  </>
                }
              >
                The browser keeps Hearth’s data: it is not cleared to make room.
              </Show>
            </p>
            <Show when={!s().persisted}>
              <ul>
                <li>Install Hearth (Add to Home Screen): installed apps are kept.</li>
                <li>Link a second device, so your groups live in two places.</li>
                <li>Export a backup now and then.</li>
              </ul>
            </Show>
            <Show when={s().usage !== undefined && s().quota !== undefined}>
              <p>
                Used: {size(s().usage ?? 0)} of {size(s().quota ?? 0)} available to Hearth.
              </p>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
