// The first screen, painted by boot.ts from the rows it read ahead, while the app's main chunk
// is still on its way: the welcome words for a first visit, or Home's group list for a member
// coming back. It is plain markup with the app's own classes (links work before any script
// runs); main.tsx clears it and renders the real screen in the same places, which adds what
// needs the app (counts, activity, forms). Nothing is painted while the app lock is on (the
// rows are sealed; the unlock screen comes from the app), on any screen but Home, or once the
// app has rendered. Names come from the device's own registry, as Home shows them.

import { parseRegistryRow } from '../core/hearth/registryRow.ts';
import type { StorageChunk } from '../core/storage/StorageAdapter.ts';
import {
  GROUPS_HEADING,
  HOME_TITLE,
  NO_GROUPS,
  WELCOME_INTRO,
  WELCOME_TITLE,
} from './screens/firstScreenText.ts';

export interface BootReads {
  readonly lock: readonly StorageChunk[];
  readonly identity: readonly StorageChunk[];
  readonly groups: readonly StorageChunk[];
}

export type BootScreen =
  | { readonly kind: 'welcome' }
  | { readonly kind: 'home'; readonly groups: readonly { name: string; href: string }[] };

const HOME_HASHES = new Set(['', '#', '#/']);

/** What to paint for these rows at this address, or null for nothing. */
export function bootScreen(reads: BootReads, hash: string): BootScreen | null {
  if (reads.lock.length > 0) return null;
  if (reads.identity.length === 0) return { kind: 'welcome' };
  if (!HOME_HASHES.has(hash)) return null;
  const groups = reads.groups
    .map((row) => parseRegistryRow(row.data))
    .filter((g) => g !== null)
    .sort((a, b) => a.joinedAt - b.joinedAt)
    .map((g) => ({ name: g.name, href: `#/g/${encodeURIComponent(g.groupId)}` }));
  return { kind: 'home', groups };
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string>,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/**
 * Paints `screen` into an empty `root`, and says whether it did; leaves a root the app has
 * filled alone.
 */
export function paintBootScreen(root: HTMLElement, screen: BootScreen | null): boolean {
  if (!screen || root.firstChild) return false;
  if (screen.kind === 'welcome') {
    root.append(el('main', {}, el('h1', {}, WELCOME_TITLE), el('p', {}, WELCOME_INTRO)));
  } else {
    const list =
      screen.groups.length > 0
        ? el(
            'ul',
            { class: 'list', 'aria-label': GROUPS_HEADING },
            ...screen.groups.map((g) =>
              el(
                'li',
                {},
                el(
                  'a',
                  { class: 'row-link', href: g.href },
                  el('span', { class: 'grow' }, el('span', { class: 'title' }, g.name)),
                ),
              ),
            ),
          )
        : el('p', { class: 'empty' }, NO_GROUPS);
    root.append(
      el('header', { class: 'topbar' }, el('div', { class: 'titles' }, el('h1', {}, HOME_TITLE))),
      el('main', {}, el('h2', {}, GROUPS_HEADING), list),
    );
  }
  performance.mark('hearth:first-paint');
  return true;
}
