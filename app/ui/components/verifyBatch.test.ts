import { describe, expect, it } from 'vitest';
import type { VerifyStatus } from '../../core/group/Verifier.ts';
import { type Verifiable, verifyBatched } from './verifyBatch.ts';

function fakeGroup(answer: (id: string) => VerifyStatus, fail = false) {
  const calls: string[][] = [];
  const group: Verifiable = {
    async verify(ids) {
      const list = [...ids];
      calls.push(list);
      if (fail) throw new Error('backend gone');
      return new Map(list.map((id) => [id, answer(id)]));
    },
  };
  return { group, calls };
}

describe('verifyBatched', () => {
  it('gathers the ids asked for in one tick into one call', async () => {
    const { group, calls } = fakeGroup((id) => (id === 'bad' ? 'forged' : 'valid'));
    const results = await Promise.all([
      verifyBatched(group, 'a'),
      verifyBatched(group, 'bad'),
      verifyBatched(group, 'a'),
    ]);
    expect(results).toEqual(['valid', 'forged', 'valid']);
    expect(calls).toEqual([['a', 'bad']]);
  });

  it('starts a new call for ids asked for later', async () => {
    const { group, calls } = fakeGroup(() => 'valid');
    await verifyBatched(group, 'a');
    await verifyBatched(group, 'b');
    expect(calls).toEqual([['a'], ['b']]);
  });

  it('keeps groups apart', async () => {
    const one = fakeGroup(() => 'valid');
    const two = fakeGroup(() => 'not-a-member');
    const [x, y] = await Promise.all([
      verifyBatched(one.group, 'a'),
      verifyBatched(two.group, 'a'),
    ]);
    expect([x, y]).toEqual(['valid', 'not-a-member']);
    expect(one.calls).toEqual([['a']]);
    expect(two.calls).toEqual([['a']]);
  });

  it('answers "not checked" rather than hanging when the verifier fails', async () => {
    const { group } = fakeGroup(() => 'valid', true);
    await expect(verifyBatched(group, 'a')).resolves.toBeUndefined();
  });
});
