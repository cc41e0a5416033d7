// The shared shape of an export part for features whose content is titled items with answers
// (threads and replies, posts and comments): Markdown a person can read, data a program can.
import type { ItemViewBase } from '../group/items.ts';
import type { ExportPart } from './Feature.ts';

interface Titled extends ItemViewBase {
  readonly title: string;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const byline = (v: ItemViewBase): string =>
  `${v.authorName ?? 'Unknown member'}, ${iso(v.createdAt)}${v.editedAt ? ` (edited ${iso(v.editedAt)})` : ''}`;

/** Keeps a member's heading text on one line, so it cannot start Markdown of its own. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const itemData = (v: ItemViewBase) => ({
  id: v.id,
  author: v.author,
  authorName: v.authorName,
  createdAt: v.createdAt,
  ...(v.editedAt ? { editedAt: v.editedAt } : {}),
  deleted: v.deleted,
  checked: v.status === 'valid',
  body: v.body,
});

export function itemsPart(
  title: string,
  answers: string,
  items: readonly { item: Titled; children: readonly ItemViewBase[] }[],
): ExportPart {
  const md: string[] = [`## ${title}`, ''];
  if (items.length === 0) md.push(`No ${title.toLowerCase()} yet.`, '');
  for (const { item, children } of items) {
    md.push(`### ${oneLine(item.title)}`, '', `*${byline(item)}*`, '', item.body, '');
    const live = children.filter((c) => !c.deleted);
    if (live.length > 0) md.push(`#### ${answers}`, '');
    for (const c of live) md.push(`**${byline(c)}**`, '', c.body, '');
  }
  return {
    title,
    markdown: md.join('\n'),
    data: items.map(({ item, children }) => ({
      ...itemData(item),
      title: item.title,
      [answers.toLowerCase()]: children.map(itemData),
    })),
  };
}
