// Notes in the UI: the Notes tab, one note (read, edit together, history, backlinks) and the
// `[[title]]` route that opens or starts a note.

import { lazy } from 'solid-js';
import type { Notes } from '../../../core/features/notes/Notes.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import { noteByTitleRoute, noteEditRoute, noteRoute, notesRoute } from './routes.ts';

// None of these is a first screen: they load on demand, in chunks of their own.
const NoteScreen = lazy(() => import('./NoteScreen.tsx').then((m) => ({ default: m.NoteScreen })));
const NoteByTitle = lazy(() =>
  import('./NoteScreen.tsx').then((m) => ({ default: m.NoteByTitle })),
);
const NotesList = lazy(() => import('./NotesList.tsx').then((m) => ({ default: m.NotesList })));

export const notes: UiFeature<'notes'> = {
  actions: actionList<Notes>()('createNote', 'ensureNote', 'rename', 'recordRevision', 'remove'),
  routes: [
    screenRoute(noteRoute, (p) => (
      <NoteScreen groupId={p.params.groupId} noteId={p.params.noteId} />
    )),
    screenRoute(noteEditRoute, (p) => (
      <NoteScreen groupId={p.params.groupId} noteId={p.params.noteId} edit />
    )),
    screenRoute(noteByTitleRoute, (p) => (
      <NoteByTitle groupId={p.params.groupId} title={p.params.title} />
    )),
  ],
  tab: { label: 'Notes', route: notesRoute, content: NotesList },
};
