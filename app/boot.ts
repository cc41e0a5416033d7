// The page's only script tag: a small chunk that opens IndexedDB and asks for what the first
// screen needs, then runs the rest of the app (main.tsx), which index.html has the browser
// preload meanwhile. The reads and the big chunk's download go on together, and main.tsx
// takes the answers (see IdbStorage's preload) instead of asking again.
import { IdbStorage } from './adapters/IdbStorage.ts';
import {
  GROUPS_PREFIX,
  IDENTITY_KEY,
  LOCK_KEY,
  startupDocReads,
  startupReads,
} from './core/hearth/storageLayout.ts';
import { firstScreen, paintFirstScreen } from './ui/firstPaint.ts';
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

const group = groupOnScreen();
export const storage: Promise<IdbStorage> = IdbStorage.open(undefined, {
  preload: startupReads(group),
  ...(group === undefined ? {} : { preloadUnless: startupDocReads(group) }),
});
// main.tsx reports a failure (StartupError); until it awaits this, it is not unhandled.
storage.catch(() => {});

// The first screen from the rows read ahead, before main.tsx's chunk has arrived (firstPaint.ts).
void storage
  .then(async (s) => {
    const reads = [LOCK_KEY, IDENTITY_KEY, GROUPS_PREFIX].map((key) => s.peek(key));
    if (reads.some((r) => r === undefined)) return;
    const [lock = [], identity = [], groups = []] = await Promise.all(reads);
    const root = document.getElementById('root');
    if (root) paintFirstScreen(root, firstScreen({ lock, identity, groups }, location.hash));
  })
  .catch(() => {
    // Nothing painted: the app's own first screen comes a moment later, or says what failed.
  });

// A thread or a post shows member text at once: its renderer loads with the app, not after,
// and so does a thread's screen.
if (/^#\/g\/[^/?#]+\/[tp]\/(?!new\b)/.test(location.hash)) {
  import('./core/text/markdown.ts').catch(() => {
    // Offline before it was cached: the text shows plain until it loads (Markdown.tsx).
  });
  if (/^#\/g\/[^/?#]+\/t\//.test(location.hash)) {
    import('./ui/features/discussion/ThreadScreen.tsx').catch(() => {
      // Reported by the route that needs it, when it does.
    });
  }
}

import('./main.tsx').catch((e: unknown) => {
  console.error(e);
  const root = document.getElementById('root');
  if (root) {
    root.textContent =
      'Hearth could not load all of its code. Check the connection, then reload the page.';
  }
});
