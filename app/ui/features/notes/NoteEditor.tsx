// The note editor: CodeMirror 6 bound to the note's Y.Text (y-codemirror.next), with markdown
// highlighting, `[[` autocomplete of note titles, and the other editors' cursors and
// selections labelled with their names. It is its own chunk, loaded only when a note is
// opened for editing (NoteScreen imports it lazily), so the app's first load stays small.
//
// Remote cursors are drawn here rather than by y-codemirror's own plugin: that one sets
// inline `style` attributes, which the app's Content-Security-Policy (style-src 'self')
// refuses. Colours are classes picked from the member id; the name shown is the member's
// signed name in the group, looked up from the id the peer's presence claims.
import { autocompletion, type CompletionContext } from '@codemirror/autocomplete';
import { defaultKeymap } from '@codemirror/commands';
import { markdownLanguage } from '@codemirror/lang-markdown';
import { Compartment, EditorState, type Range, RangeSet } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  EditorView,
  keymap,
  ViewPlugin,
  type ViewUpdate,
  WidgetType,
} from '@codemirror/view';
import { onCleanup, onMount } from 'solid-js';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { openLinkAt } from '../../../core/features/notes/links.ts';
import type { NoteSession } from '../../state/GroupHandle.ts';
import { afterPaintIdle } from '../../state/paint.ts';

export const PEER_COLOURS = 8;

/** A stable colour class for a member id. */
export function colourOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % PEER_COLOURS;
}

export interface NoteEditorProps {
  readonly session: NoteSession;
  /** This member's id, shared with the other editors so they can show whose cursor it is. */
  readonly me: string;
  /** A member's signed name in the group, or null for an id that is not a member. */
  readonly nameOf: (id: string) => string | null;
  readonly titles: (query: string) => readonly { title: string }[];
  readonly label: string;
  /** After each change made on this device. */
  readonly onLocalChange?: () => void;
  /** Once the editor is on the page, ready to type in. */
  readonly onReady?: () => void;
}

class Caret extends WidgetType {
  constructor(
    readonly name: string,
    readonly colour: number,
  ) {
    super();
  }
  override eq(other: Caret): boolean {
    return other.name === this.name && other.colour === this.colour;
  }
  toDOM(): HTMLElement {
    const caret = document.createElement('span');
    caret.className = `note-caret note-peer-${this.colour}`;
    const label = document.createElement('span');
    label.className = 'note-caret-name';
    label.textContent = this.name;
    caret.append(label);
    return caret;
  }
  override ignoreEvent(): boolean {
    return true;
  }
}

interface PeerState {
  readonly member?: unknown;
  readonly cursor?: { anchor?: unknown; head?: unknown } | null;
}

function remoteCursors(text: Y.Text, awareness: Awareness, props: NoteEditorProps) {
  const doc = text.doc as Y.Doc;
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet = RangeSet.empty;
      readonly #listener: (c: { added: number[]; updated: number[]; removed: number[] }) => void;
      constructor(readonly view: EditorView) {
        this.#listener = ({ added, updated, removed }) => {
          if ([...added, ...updated, ...removed].some((id) => id !== doc.clientID)) {
            // Outside the current update: CodeMirror refuses a dispatch during one.
            queueMicrotask(() => view.dispatch({}));
          }
        };
        awareness.on('change', this.#listener);
      }
      destroy(): void {
        awareness.off('change', this.#listener);
      }
      update(update: ViewUpdate): void {
        this.#shareOwn(update);
        const out: Range<Decoration>[] = [];
        const len = update.state.doc.length;
        awareness.getStates().forEach((raw, client) => {
          if (client === doc.clientID) return;
          const state = raw as PeerState;
          const at = (rel: unknown): number | null => {
            if (rel === null || typeof rel !== 'object') return null;
            try {
              const abs = Y.createAbsolutePositionFromRelativePosition(
                Y.createRelativePositionFromJSON(rel),
                doc,
              );
              return abs && abs.type === text ? Math.min(abs.index, len) : null;
            } catch {
              return null;
            }
          };
          const anchor = at(state.cursor?.anchor);
          const head = at(state.cursor?.head);
          if (anchor === null || head === null) return;
          const id = typeof state.member === 'string' ? state.member : '';
          const name = props.nameOf(id) ?? 'Someone not in this group';
          const colour = colourOf(id);
          if (anchor !== head) {
            out.push(
              Decoration.mark({ class: `note-peer-sel note-peer-${colour}` }).range(
                Math.min(anchor, head),
                Math.max(anchor, head),
              ),
            );
          }
          out.push(
            Decoration.widget({
              widget: new Caret(name, colour),
              side: head > anchor ? -1 : 1,
            }).range(head),
          );
        });
        this.decorations = Decoration.set(out, true);
      }
      /** Tells the others where this member's cursor is (only while the editor has focus). */
      #shareOwn(update: ViewUpdate): void {
        if (!update.view.hasFocus) return;
        const sel = update.state.selection.main;
        const anchor = Y.createRelativePositionFromTypeIndex(text, sel.anchor);
        const head = Y.createRelativePositionFromTypeIndex(text, sel.head);
        const cur = (awareness.getLocalState() as PeerState | null)?.cursor as
          | { anchor: Y.RelativePosition; head: Y.RelativePosition }
          | null
          | undefined;
        if (
          cur &&
          Y.compareRelativePositions(Y.createRelativePositionFromJSON(cur.anchor), anchor) &&
          Y.compareRelativePositions(Y.createRelativePositionFromJSON(cur.head), head)
        )
          return;
        awareness.setLocalStateField('cursor', { anchor, head });
      }
    },
    { decorations: (v) => v.decorations },
  );
}

export function NoteEditor(props: NoteEditorProps) {
  let host!: HTMLDivElement;
  onMount(() => {
    const { text, awareness } = props.session;
    awareness.setLocalStateField('member', props.me);
    const complete = (ctx: CompletionContext) => {
      const line = ctx.state.doc.lineAt(ctx.pos);
      const open = openLinkAt(line.text, ctx.pos - line.from);
      if (!open) return null;
      return {
        from: line.from + open.from,
        options: props.titles(open.query).map((t) => ({
          label: t.title,
          apply: `${t.title}]]`,
          type: 'text',
        })),
        filter: false,
      };
    };
    const highlighting = new Compartment();
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: text.toString(),
        extensions: [
          keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
          // Markdown highlighting comes once the editor is painted (below).
          highlighting.of([]),
          EditorView.lineWrapping,
          autocompletion({ override: [complete], icons: false }),
          // Sync and undo from y-codemirror; the cursors are drawn by remoteCursors.
          yCollab(text, null),
          remoteCursors(text, awareness, props),
          EditorView.contentAttributes.of({
            'aria-label': props.label,
            'aria-multiline': 'true',
            autocapitalize: 'sentences',
            autocorrect: 'on',
            spellcheck: 'true',
          }),
          EditorView.updateListener.of((u) => {
            if (
              u.docChanged &&
              u.transactions.some(
                (t) =>
                  t.isUserEvent('input') ||
                  t.isUserEvent('delete') ||
                  t.isUserEvent('undo') ||
                  t.isUserEvent('redo') ||
                  t.isUserEvent('input.complete'),
              )
            )
              props.onLocalChange?.();
          }),
        ],
      }),
    });
    // The markdown grammar alone (markdown() would bring HTML, CSS and JavaScript too), added
    // once the editor is painted and the page idle: its first parse of a long note (a
    // paragraph is parsed whole) would otherwise hold up the editor, which can be typed into
    // without it.
    let gone = false;
    void afterPaintIdle().then(() => {
      if (!gone) view.dispatch({ effects: highlighting.reconfigure(markdownLanguage.extension) });
    });
    onCleanup(() => {
      gone = true;
      view.destroy();
      awareness.setLocalStateField('cursor', null);
    });
    props.onReady?.();
  });
  return <div class="note-editor" ref={host} />;
}

export default NoteEditor;
