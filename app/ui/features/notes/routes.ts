// Notes' places: the Notes tab, one note, and a `[[title]]` link, which opens the note with
// that title or starts it.
import { defineRoute } from '../../router.ts';

export const notesRoute = defineRoute('notes', '/g/:groupId/notes');
/** ActivityItem places name this route ('note', with groupId and noteId). */
export const noteRoute = defineRoute('note', '/g/:groupId/n/:noteId');
/** The same note, opened straight into the editor. */
export const noteEditRoute = defineRoute('note-edit', '/g/:groupId/n/:noteId/edit');
export const noteByTitleRoute = defineRoute('note-by-title', '/g/:groupId/nt/:title');
