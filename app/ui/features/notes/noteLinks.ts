// How `[[Page title]]` in member text becomes a link: to the note with that title (current or
// former), or, when there is none yet, to the route that starts it.
import type { NoteLinkTarget } from '../../../core/text/markdown.ts';
import { href } from '../../router.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { noteByTitleRoute, noteRoute } from './routes.ts';

/** The resolver for the markdown renderer; reading it tracks the group's changes. */
export function noteLinker(h: GroupHandle): (title: string) => NoteLinkTarget {
  h.version();
  return (title) => {
    const t = h.notes.linkTarget(title);
    return t.noteId
      ? {
          href: href(noteRoute, { groupId: h.id, noteId: t.noteId }),
          label: t.title,
          missing: false,
        }
      : { href: href(noteByTitleRoute, { groupId: h.id, title }), label: title, missing: true };
  };
}
