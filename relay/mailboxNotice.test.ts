// After a mailbox write the relay tells the sockets watching that room on the signaling
// connection, so an open app pulls at once instead of at its next poll. Real sockets on
// 127.0.0.1, a real SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { MAILBOX_NOTICE_TYPE } from './signaling.ts';
import {
  buildWriteEnvelope,
  FrameCollector,
  fakeSealedBlob,
  newTestRoom,
  startTestRelay,
  type TestRelay,
  type TestRoom,
} from './testing.ts';

const running: TestRelay[] = [];
const clients: FrameCollector[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await Promise.all(running.splice(0).map((r) => r.dispose()));
});

async function watcher(r: TestRelay, path: string, topics: string[]): Promise<FrameCollector> {
  const c = await FrameCollector.open(`${r.wsUrl}${path}`);
  clients.push(c);
  c.send({ type: 'subscribe', topics });
  await c.sync();
  return c;
}

async function write(r: TestRelay, room: TestRoom, payload = fakeSealedBlob(200)) {
  const body = buildWriteEnvelope({ room: room.room, secretKey: room.mailbox.secretKey, payload });
  const res = await fetch(`${r.url}/mailbox/${room.room}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const isNotice = (f: Record<string, unknown>) => f.type === MAILBOX_NOTICE_TYPE;

describe('mailbox notice on the signaling connection', () => {
  it('goes to the sockets watching the written room only, with the seq and nothing else', async () => {
    const r = await startTestRelay();
    running.push(r);
    const room = newTestRoom();
    const other = newTestRoom();
    const a = await watcher(r, '/signal', [room.room]);
    const b = await watcher(r, '/', [other.room, room.room]);
    const outsider = await watcher(r, '/signal', [other.room]);
    const left = await watcher(r, '/signal', [room.room]);
    left.send({ type: 'unsubscribe', topics: [room.room] });
    await left.sync();

    const payload = fakeSealedBlob(200);
    expect(await write(r, room, payload)).toEqual({ status: 200, json: { seq: 1 } });
    const expected = { type: MAILBOX_NOTICE_TYPE, topic: room.room, seq: 1 };
    expect(await a.next(isNotice, 'notice at a')).toEqual(expected);
    expect(await b.next(isNotice, 'notice at b')).toEqual(expected);

    expect((await write(r, room)).json).toEqual({ seq: 2 });
    expect(await a.next(isNotice, 'second notice at a')).toEqual({ ...expected, seq: 2 });

    // Frames are flushed together, so after a ping round trip nothing more can be owed.
    await Promise.all([outsider.sync(), left.sync(), b.sync()]);
    expect(outsider.frames.filter(isNotice)).toEqual([]);
    expect(left.frames.filter(isNotice)).toEqual([]);
    // The notice is small and carries nothing of the write.
    const raw = JSON.stringify(expected);
    expect(raw.length).toBeLessThan(100);
    expect(raw).not.toContain(Buffer.from(payload.subarray(1, 20)).toString('base64'));
    expect(r.relay.metrics.mailboxNotices).toBe(4);
  });

  it('says nothing for a refused write, and nothing to a room nobody watches', async () => {
    const r = await startTestRelay();
    running.push(r);
    const room = newTestRoom();
    const a = await watcher(r, '/signal', [room.room]);
    const stranger = newTestRoom();
    const forged = buildWriteEnvelope({
      room: room.room,
      secretKey: stranger.mailbox.secretKey,
      payload: fakeSealedBlob(50),
    });
    expect((await write(r, room)).status).toBe(200);
    await a.next(isNotice, 'first notice');
    const res = await fetch(`${r.url}/mailbox/${room.room}`, { method: 'POST', body: forged });
    expect(res.status).toBe(403);
    expect((await write(r, newTestRoom())).status).toBe(200);
    await a.sync();
    expect(a.frames.filter(isNotice)).toEqual([]);
    expect(r.relay.metrics.mailboxNotices).toBe(1);
  });
});
