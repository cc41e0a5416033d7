import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64Url } from '../crypto/bytes.ts';
import { FEATURE_KINDS, featuresOf } from '../features/registry.ts';
import { createIdentity } from '../identity/Identity.ts';
import { deriveItemId } from './canonical.ts';
import { Group, type GroupChange } from './Group.ts';
import { childrenOf } from './items.ts';
import { RECORDS_MAP } from './records.ts';

// Signing 10,000 records would dominate the run, and reads never check signatures, so the
// bulk records carry a well-formed dummy signature (unique, since it is also the record's
// key). They read as 'checking' and are never verified here; verification is tested elsewhere.
const THREADS = 100;
const REPLIES = 99;

describe('a group with 10,000 items', () => {
  it('indexes replies per thread and reads them correctly, incrementally', () => {
    const ann = createIdentity('Ann');
    const group = Group.create({ name: 'Big', me: ann, kinds: FEATURE_KINDS });
    const { discussion } = featuresOf(group);
    const records = group.doc.getMap(RECORDS_MAP);
    const before = records.size;
    let n = 0;
    const counter = (): Uint8Array => Uint8Array.of(0, 0, 0, 0, n >> 24, n >> 16, n >> 8, n++);
    const nonce = (): string => toBase64Url(counter());
    const sig = (): string => `${'A'.repeat(75)}${toBase64Url(counter())}`;
    const threadIds: string[] = [];
    const changes: GroupChange[] = [];
    group.onChange((c) => changes.push(c));
    group.doc.transact(() => {
      for (let t = 0; t < THREADS; t++) {
        const tn = nonce();
        const tid = deriveItemId(ann.id, tn);
        threadIds.push(tid);
        const base = { author: ann.id, v: 1, mentions: [] };
        const thread = {
          ...base,
          kind: 'thread',
          id: tid,
          nonce: tn,
          title: `T${t}`,
          body: '',
          createdAt: t,
          at: t,
          sig: sig(),
        };
        records.set(thread.sig, thread);
        for (let r = 0; r < REPLIES; r++) {
          const rn = nonce();
          // Replies land in scrambled time order; reads must sort them.
          const createdAt = 1_000_000 + ((r * 37) % REPLIES) * 1000 + t;
          const reply = {
            ...base,
            kind: 'reply',
            id: deriveItemId(ann.id, rn),
            nonce: rn,
            threadId: tid,
            body: `r${r}`,
            createdAt,
            at: createdAt,
            sig: sig(),
          };
          records.set(reply.sig, reply);
        }
      }
    });
    expect(records.size - before).toBe(THREADS * (REPLIES + 1));
    // One transaction, one change.
    expect(changes).toHaveLength(1);
    expect(changes[0]!.items.size).toBe(THREADS * (REPLIES + 1));

    const threads = discussion.threads();
    expect(threads).toHaveLength(THREADS);
    // Last activity of thread t is 1_000_000 + 98_000 + t, so the newest thread comes first.
    expect(threads.map((t) => t.title)).toEqual(threadIds.map((_, i) => `T${THREADS - 1 - i}`));
    expect(threads.every((t) => t.status === 'checking')).toBe(true);
    for (const t of threads) {
      const replies = discussion.replies(t.id);
      expect(replies).toHaveLength(REPLIES);
      expect(t.replyCount).toBe(REPLIES);
      expect(t.lastActivity).toBe(replies.at(-1)!.createdAt);
      for (let i = 1; i < replies.length; i++) {
        expect(replies[i]!.createdAt).toBeGreaterThan(replies[i - 1]!.createdAt);
      }
    }

    // A new reply moves its thread to the top and only touches that thread's lists: the
    // other threads' sorted children are the very same arrays as before.
    const oldest = threadIds[0]!;
    const untouched = childrenOf(group, threadIds[1]!, 'reply');
    const touched = childrenOf(group, oldest, 'reply');
    const r = discussion.reply(ann, oldest, 'latest');
    expect(childrenOf(group, threadIds[1]!, 'reply')).toBe(untouched);
    expect(childrenOf(group, oldest, 'reply')).not.toBe(touched);
    expect(discussion.threads()[0]!.id).toBe(oldest);
    expect(discussion.replies(oldest).at(-1)).toMatchObject({
      id: r,
      body: 'latest',
      status: 'valid',
    });
    expect(discussion.replies(oldest)).toHaveLength(REPLIES + 1);
    expect(discussion.replies(threadIds[1]!)).toHaveLength(REPLIES);
    expect(discussion.recent(3).map((x) => x.id)[0]).toBe(r);
    // Reads without a change are served from the cache.
    expect(discussion.threads()).toEqual(discussion.threads());

    // The same document opened fresh builds identical lists.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(group.doc));
    const reopened = featuresOf(Group.open(copy, { groupId: group.id, kinds: FEATURE_KINDS }));
    // What this device wrote itself it trusts at once; the copy reads it as 'checking'.
    const unchecked = <T extends { status: string }>(v: T): T => ({ ...v, status: 'checking' });
    expect(reopened.discussion.threads()).toEqual(discussion.threads().map(unchecked));
    expect(reopened.discussion.replies(oldest)).toEqual(discussion.replies(oldest).map(unchecked));
    expect(reopened.discussion.replies(threadIds[50]!)).toEqual(discussion.replies(threadIds[50]!));
  });
});
