// The page's first script (index.html loads it ahead of main.tsx): it opens IndexedDB and asks
// for what the first screen needs while the browser is still loading, compiling and running
// the rest of the app, which then takes the answers (see IdbStorage's preload).
import { IdbStorage } from './adapters/IdbStorage.ts';
import { startupReads } from './core/hearth/storageLayout.ts';

/** The group the address names (#/g/<id>/…): its document is what the first screen shows. */
function groupOnScreen(): string | undefined {
  const id = /^#\/g\/([^/?#]+)/.exec(location.hash)?.[1];
  try {
    return id === undefined ? undefined : decodeURIComponent(id);
  } catch {
    return undefined;
  }
}

export const storage: Promise<IdbStorage> = IdbStorage.open(undefined, {
  preload: startupReads(groupOnScreen()),
});
// main.tsx reports a failure (StartupError); until it awaits this, it is not unhandled.
storage.catch(() => {});
