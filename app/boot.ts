// The page's only script tag: a small chunk that opens IndexedDB and asks for what the first
// screen needs, then runs the rest of the app (main.tsx), which index.html has the browser
// preload meanwhile. The reads and the big chunk's download go on together, and main.tsx
// takes the answers (see IdbStorage's preload) instead of asking again.
import { IdbStorage } from './adapters/IdbStorage.ts';
import { startupReads } from './core/hearth/storageLayout.ts';
import './ui/styles.css';

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

// A thread or a post shows member text at once: its renderer loads with the app, not after.
if (/^#\/g\/[^/?#]+\/[tp]\/(?!new\b)/.test(location.hash)) {
  import('./core/text/markdown.ts').catch(() => {
    // Offline before it was cached: the text shows plain until it loads (Markdown.tsx).
  });
}

import('./main.tsx').catch((e: unknown) => {
  console.error(e);
  const root = document.getElementById('root');
  if (root) {
    root.textContent =
      'Hearth could not load all of its code. Check the connection, then reload the page.';
  }
});
