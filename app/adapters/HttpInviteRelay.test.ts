// The HTTP adapter against a real relay on 127.0.0.1 with its SQLite file: the whole invite
// flow (make, resolve, join with the inviter gone, withdraw, expire) through real sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../relay/testing.ts';
import { Hearth, type HearthEnv } from '../core/hearth/Hearth.ts';
import { Invites } from '../core/invite/Invites.ts';
import { InviteError, type InviteErrorCode } from '../core/invite/invite.ts';
import { MemoryStorage } from '../core/storage/MemoryStorage.ts';
import { HttpInviteRelay } from './HttpInviteRelay.ts';
import { HttpMailbox } from './HttpMailbox.ts';

const DAY = 86_400_000;
let offset = 0;
const now = () => Date.now() + offset;
const relays: TestRelay[] = [];
const hearths: Hearth[] = [];

afterEach(async () => {
  await Promise.all(hearths.splice(0).map((h) => h.close()));
  await Promise.all(relays.splice(0).map((r) => r.dispose()));
  offset = 0;
});

async function person(relay: TestRelay, name: string) {
  const env: HearthEnv = {
    storage: new MemoryStorage(),
    origin: 'http://app.test',
    defaultRelay: `${relay.wsUrl}/signal`,
    mailboxFor: (url) => new HttpMailbox({ relayUrl: url }),
  };
  const hearth = await Hearth.load(env);
  await hearth.setUp(name);
  hearths.push(hearth);
  return { hearth, invites: new Invites(hearth, (url) => new HttpInviteRelay({ relayUrl: url })) };
}

async function codeOf(p: Promise<unknown>): Promise<InviteErrorCode | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof InviteError) return e.code;
    throw e;
  }
}

describe('HttpInviteRelay', () => {
  it('makes, resolves, joins, withdraws and expires invitations over a real relay', async () => {
    const relay = await startTestRelay({ now });
    relays.push(relay);
    const ann = await person(relay, 'Ann');
    const rt = await ann.hearth.createGroup('Garden club');
    await rt.ready;
    rt.features.discussion.startThread(ann.hearth.me, { title: 'Seeds', body: 'Bring seeds' });
    const keep = await ann.invites.create(rt.entry.groupId);
    const withdraw = await ann.invites.create(rt.entry.groupId, { maxUses: 3 });
    const short = await ann.invites.create(rt.entry.groupId, { ttlMs: 3_600_000 });
    await ann.hearth.flushAll();

    const bob = await person(relay, 'Bob');
    await ann.invites.revoke(rt.entry.groupId, withdraw.room);
    expect(await codeOf(bob.invites.resolve(withdraw.link))).toBe('gone');
    expect((await ann.invites.list(rt.entry.groupId)).map((i) => i.room).sort()).toEqual(
      [keep.room, short.room].sort(),
    );
    await ann.hearth.close();
    hearths.splice(hearths.indexOf(ann.hearth), 1);

    const joined = await bob.invites.join(await bob.invites.resolve(keep.link));
    expect(joined).toMatchObject({ already: false, inviter: 'member' });
    const brt = await bob.hearth.open(rt.entry.groupId);
    expect(brt.features.discussion.threads().map((t) => t.title)).toEqual(['Seeds']);

    offset = 2 * 3_600_000;
    const carol = await person(relay, 'Carol');
    expect(await codeOf(carol.invites.resolve(short.link))).toBe('gone');
    offset = 8 * DAY;
    expect(await codeOf(carol.invites.resolve(keep.link))).toBe('gone');
    expect(carol.hearth.groups()).toEqual([]);
  });

  it('says the relay is unreachable, and refuses an oversized answer', async () => {
    const down = new HttpInviteRelay({ relayUrl: 'ws://127.0.0.1:9/signal', timeoutMs: 2000 });
    expect(await codeOf(down.open('AAAAAAAAAAAAAAAAAAAAAA'))).toBe('unreachable');
    const huge = new HttpInviteRelay({
      relayUrl: 'ws://relay.test/signal',
      fetch: async () => new Response(new Uint8Array(9000)),
    });
    expect(await codeOf(huge.open('AAAAAAAAAAAAAAAAAAAAAA'))).toBe('tampered');
    const odd = new HttpInviteRelay({
      relayUrl: 'ws://relay.test/signal',
      fetch: async () => new Response('{"expiresAt":"soon"}', { status: 200 }),
    });
    expect(await codeOf(odd.status('AAAAAAAAAAAAAAAAAAAAAA'))).toBe('unreachable');
    const busy = new HttpInviteRelay({
      relayUrl: 'ws://relay.test/signal',
      fetch: async () => new Response('{"error":"rate-limited"}', { status: 429 }),
    });
    expect(await codeOf(busy.put('AAAAAAAAAAAAAAAAAAAAAA', new Uint8Array(1)))).toBe('refused');
  });
});
