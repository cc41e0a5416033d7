// "Export group": the group as a person reads it (Markdown) and as a program reads it (JSON),
// so members are never locked in. Each feature adds its own part through Feature.exportPart
// (threads, posts, and whatever later features hold); the JSON also carries every signed
// record, which anyone can check against its author's key.
import { featureList, type GroupFeatures } from '../features/registry.ts';
import type { Hearth } from './Hearth.ts';

export interface GroupExport {
  /** A file name without extension, from the group's name. */
  readonly baseName: string;
  readonly markdown: string;
  readonly json: string;
}

export async function exportGroupFiles(hearth: Hearth, groupId: string): Promise<GroupExport> {
  const rt = await hearth.open(groupId);
  const records = JSON.parse(await hearth.exportGroup(groupId)) as Record<string, unknown>;
  const info = rt.group.info();
  const names = Object.keys(rt.features) as (keyof GroupFeatures)[];
  const list = featureList(rt.features);
  const parts: Record<string, unknown> = {};
  const md: string[] = [
    `# ${info.name.replace(/\s+/g, ' ')}`,
    '',
    ...(info.about ? [info.about, ''] : []),
    `Exported from Hearth on ${new Date(records.exportedAt as number).toISOString()}.`,
    '',
    '## Members',
    '',
    ...rt.group.members().map((m) => `- ${m.name}`),
    '',
  ];
  list.forEach((feature, i) => {
    const part = feature.exportPart?.();
    if (!part) return;
    parts[names[i]!] = part.data;
    md.push(part.markdown);
  });
  return {
    baseName: info.name.replace(/[^\p{L}\p{N} _-]/gu, '').trim() || 'group',
    markdown: md.join('\n'),
    json: JSON.stringify({ ...records, format: 'hearth-group/v1', parts }, null, 1),
  };
}
