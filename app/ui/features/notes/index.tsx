// Notes in the UI: the Notes tab, one note (read, edit together, history, backlinks) and the
// `[[title]]` route that opens or starts a note.
import type { Notes } from '../../../core/features/notes/Notes.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import { NoteByTitle, NoteScreen } from './NoteScreen.tsx';
import { NotesList } from './NotesList.tsx';
import { noteByTitleRoute, noteRoute, notesRoute } from './routes.ts';

export const notes: UiFeature<'notes'> = {
  actions: actionList<Notes>()('createNote', 'ensureNote', 'rename', 'recordRevision', 'remove'),
  routes: [
    screenRoute(noteRoute, (p) => (
      <NoteScreen groupId={p.params.groupId} noteId={p.params.noteId} />
    )),
    screenRoute(noteByTitleRoute, (p) => (
      <NoteByTitle groupId={p.params.groupId} title={p.params.title} />
    )),
  ],
  tab: { label: 'Notes', route: notesRoute, content: NotesList },
};
