import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64Url } from '../crypto/bytes.ts';
import { createIdentity } from '../identity/Identity.ts';
import { deriveItemId } from './canonical.ts';
import { Group } from './Group.ts';

// Signing 10,000 records would dominate the run, and reads never check signatures, so the
// bulk records carry a well-formed dummy signature; verification is tested elsewhere.
const SIG = 'A'.repeat(86);
const THREADS = 100;
const REPLIES = 99;

describe('a group with 10,000 items', () => {
  it('indexes replies per thread and reads them correctly, incrementally', () => {
    const ann = createIdentity('Ann');
    const group = Group.create({ name: 'Big', me: ann });
    const items = group.doc.getMap('items');
    let n = 0;
    const nonce = (): string =>
      toBase64Url(Uint8Array.of(0, 0, 0, 0, n >> 24, n >> 16, n >> 8, n++));
    const threadIds: string[] = [];
    group.doc.transact(() => {
      for (let t = 0; t < THREADS; t++) {
        const tn = nonce();
        const tid = deriveItemId(ann.id, tn);
        threadIds.push(tid);
        const base = { nonce: tn, author: ann.id, mentions: [], sig: SIG };
        items.set(tid, {
          ...base,
          kind: 'thread',
          id: tid,
          title: `T${t}`,
          body: '',
          createdAt: t,
        });
        for (let r = 0; r < REPLIES; r++) {
          const rn = nonce();
          const rid = deriveItemId(ann.id, rn);
          // Replies land in scrambled time order; reads must sort them.
          const createdAt = 1_000_000 + ((r * 37) % REPLIES) * 1000 + t;
          items.set(rid, {
            ...base,
            nonce: rn,
            kind: 'reply',
            id: rid,
            threadId: tid,
            body: `r${r}`,
            createdAt,
          });
        }
      }
    });
    expect(items.size).toBe(THREADS * (REPLIES + 1));

    const threads = group.threads();
    expect(threads).toHaveLength(THREADS);
    // Last activity of thread t is 1_000_000 + 98_000 + t, so the newest thread comes first.
    expect(threads.map((t) => t.title)).toEqual(threadIds.map((_, i) => `T${THREADS - 1 - i}`));
    for (const t of threads) {
      const replies = group.replies(t.id);
      expect(replies).toHaveLength(REPLIES);
      expect(t.replyCount).toBe(REPLIES);
      for (let i = 1; i < replies.length; i++) {
        expect(replies[i]!.createdAt).toBeGreaterThan(replies[i - 1]!.createdAt);
      }
    }

    // A new reply moves its thread to the top and only touches that thread's index.
    const oldest = threadIds[0]!;
    const r = group.reply(ann, oldest, 'latest');
    expect(group.threads()[0]!.id).toBe(oldest);
    expect(group.replies(oldest).at(-1)!.id).toBe(r);
    expect(group.replies(threadIds[1]!)).toHaveLength(REPLIES);
    expect(group.recent(3).map((x) => x.id)[0]).toBe(r);

    // The same document opened fresh builds identical indexes.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(group.doc));
    const reopened = Group.open(copy);
    expect(reopened.threads()).toEqual(group.threads());
    expect(reopened.replies(oldest)).toEqual(group.replies(oldest));
  });
});
