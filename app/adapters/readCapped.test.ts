// @vitest-environment node
// A relay (hostile or broken) that answers with a body that never ends, chunked and without
// Content-Length: every client of the relay stops reading at its cap and fails cleanly.
import { describe, expect, it } from 'vitest';
import { deriveEpochKeys, generateGroupKey } from '../core/crypto/keys.ts';
import { MailboxError } from '../core/sync/Mailbox.ts';
import { HttpInviteRelay } from './HttpInviteRelay.ts';
import { HttpMailbox } from './HttpMailbox.ts';
import { SMALL_ANSWER_BYTES } from './readCapped.ts';
import { fetchRelayConfig } from './relayConfig.ts';

const CHUNK = 16 * 1024;

/** A fetch whose answers stream `{"` and then spaces forever; counts what was pulled. */
function endless(status: number) {
  const sent = { bytes: 0 };
  const fetch = (async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = new Uint8Array(CHUNK).fill(0x20);
          if (sent.bytes === 0) chunk.set([0x7b, 0x22]);
          sent.bytes += chunk.length;
          controller.enqueue(chunk);
        },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    )) as typeof globalThis.fetch;
  return { fetch, sent };
}

const keys = deriveEpochKeys(generateGroupKey());
const bounded = (sent: { bytes: number }) =>
  expect(sent.bytes).toBeLessThanOrEqual(SMALL_ANSWER_BYTES + 4 * CHUNK);

describe('answers that never end', () => {
  it('the mailbox client refuses an endless acknowledgement and an endless error', async () => {
    for (const status of [200, 500, 429]) {
      const { fetch, sent } = endless(status);
      const mailbox = new HttpMailbox({ relayUrl: 'ws://relay.test/signal', fetch });
      const err = await mailbox
        .push(keys.roomId, keys.mailbox, new Uint8Array([1, 2, 3]), { kind: 'update' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailboxError);
      expect((err as MailboxError).code).toBe(
        status === 200 ? 'bad-response' : status === 429 ? 'rate-limited' : 'network',
      );
      bounded(sent);
    }
  });

  it('the /config reader says unreachable', async () => {
    const { fetch, sent } = endless(200);
    expect(await fetchRelayConfig('http://relay.test', { fetch })).toEqual({
      iceServers: [],
      reachable: false,
    });
    bounded(sent);
  });

  it('the invite client fails on an endless status or error answer', async () => {
    for (const status of [200, 404]) {
      const { fetch, sent } = endless(status);
      const relay = new HttpInviteRelay({ relayUrl: 'ws://relay.test/signal', fetch });
      await expect(relay.status('A'.repeat(22))).rejects.toThrow();
      bounded(sent);
    }
  });
});
