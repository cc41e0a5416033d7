import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { exportGroupFiles } from './groupExport.ts';
import { Hearth } from './Hearth.ts';

describe('export group', () => {
  it('writes readable Markdown and JSON with a part per feature and every signed record', async () => {
    const a = await Hearth.load({
      storage: new MemoryStorage(),
      origin: 'https://hearth.test',
      defaultRelay: 'ws://127.0.0.1:9/signal',
      mailboxFor: () => new MemoryMailbox(),
    });
    await a.setUp('Alice');
    const rt = await a.createGroup('Allotment: north/south');
    const t = rt.features.discussion.startThread(a.me, {
      title: 'Seed\nswap',
      body: 'Bring *jars*',
    });
    rt.features.discussion.reply(a.me, t, 'I have beans');
    const p = rt.features.posts.createPost(a.me, { title: 'Rota', body: 'Mondays' });
    rt.features.posts.comment(a.me, p, 'Works for me');
    const out = await exportGroupFiles(a, rt.entry.groupId);
    expect(out.baseName).toBe('Allotment northsouth');
    expect(out.markdown).toContain('# Allotment: north/south');
    expect(out.markdown).toContain('- Alice');
    expect(out.markdown).toContain('## Threads');
    expect(out.markdown).toContain('### Seed swap');
    expect(out.markdown).toContain('Bring *jars*');
    expect(out.markdown).toContain('I have beans');
    expect(out.markdown).toContain('## Posts');
    expect(out.markdown).toContain('Works for me');
    const json = JSON.parse(out.json);
    expect(json.format).toBe('hearth-group/v1');
    expect(json.parts.discussion[0]).toMatchObject({ title: 'Seed swap', body: 'Bring *jars*' });
    expect(json.parts.discussion[0].replies[0].body).toBe('I have beans');
    expect(json.parts.posts[0].comments[0].body).toBe('Works for me');
    expect(json.records.length).toBeGreaterThanOrEqual(6);
    await a.close();
  });
});
