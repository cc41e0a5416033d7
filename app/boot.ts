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
import { bootScreen, paintBootScreen } from './ui/firstPaint.ts';
import './ui/styles.css';

const decoded = (part: string | undefined): string | undefined => {
  try {
    return part === undefined ? undefined : decodeURIComponent(part);
  } catch {
    return undefined;
  }
};

const hash = location.hash;
/** The group the address names (#/g/<id>/…): its document is what the first screen shows. */
const groupId = decoded(/^#\/g\/([^/?#]+)/.exec(hash)?.[1]);
/** A note the address names (#/g/<id>/n/<note>, /edit opens it in the editor). */
const note = /^#\/g\/[^/?#]+\/n\/([^/?#]+)(\/edit)?(?:[?#]|$)/.exec(hash);
const noteId = decoded(note?.[1]);

export const storage: Promise<IdbStorage> = IdbStorage.open(undefined, {
  preload: startupReads(groupId, noteId),
  ...(groupId === undefined ? {} : { preloadUnless: startupDocReads(groupId) }),
});
// main.tsx reports a failure (StartupError); until it awaits this, it is not unhandled.
storage.catch(() => {});

// The first screen from the rows read ahead, before main.tsx's chunk has arrived (firstPaint.ts).
/** Whether that screen was painted; main.tsx lets the browser show it before rendering. */
export const bootPainted: Promise<boolean> = storage
  .then(async (s) => {
    const reads = [LOCK_KEY, IDENTITY_KEY, GROUPS_PREFIX].map((key) => s.peek(key));
    if (reads.some((r) => r === undefined)) return false;
    const [lock = [], identity = [], groups = []] = await Promise.all(reads);
    const root = document.getElementById('root');
    return root
      ? paintBootScreen(root, bootScreen({ lock, identity, groups }, location.hash))
      : false;
  })
  .catch(() => false); // nothing painted: the app's own first screen comes, or says what failed

const main = import('./main.tsx');
// Offline before these were cached, the screens load them again when they need them.
if (note) import('./ui/features/notes/NoteScreen.tsx').catch(() => undefined);
if (note?.[2]) {
  // A note opened in the editor: its chunk (CodeMirror) downloads while the app reads the
  // note, once the app's own chunk is in (fetched beside it, it slowed that one down).
  void main.then(() => import('./ui/features/notes/NoteEditor.tsx')).catch(() => undefined);
} else if (note || /^#\/g\/[^/?#]+\/[tp]\/(?!new\b)/.test(hash)) {
  // A thread, a post or a note shows member text at once: its renderer loads with the app,
  // not after, and so does a thread's screen.
  import('./core/text/markdown.ts').catch(() => {
    // The text shows plain until it loads (Markdown.tsx).
  });
  if (/^#\/g\/[^/?#]+\/t\//.test(hash)) {
    import('./ui/features/discussion/ThreadScreen.tsx').catch(() => {
      // Reported by the route that needs it, when it does.
    });
  }
}

main.catch((e: unknown) => {
  console.error(e);
  const root = document.getElementById('root');
  if (root) {
    root.textContent =
      'Hearth could not load all of its code. Check the connection, then reload the page.';
  }
});
