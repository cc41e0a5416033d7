import { describe, expect, it } from 'vitest';
import { type BadgeHost, showAppBadge } from './badge.ts';

function recorder(): BadgeHost & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    setAppBadge: async (n?: number) => {
      calls.push(`set ${n}`);
    },
    clearAppBadge: async () => {
      calls.push('clear');
    },
  };
}

describe('showAppBadge', () => {
  it('sets the unread total and clears at zero', async () => {
    const host = recorder();
    await showAppBadge(3, host);
    await showAppBadge(0, host);
    expect(host.calls).toEqual(['set 3', 'clear']);
  });

  it('treats negative or non-finite totals as zero', async () => {
    const host = recorder();
    await showAppBadge(-2, host);
    await showAppBadge(Number.NaN, host);
    expect(host.calls).toEqual(['clear', 'clear']);
  });

  it('falls back to setAppBadge(0) when there is no clearAppBadge', async () => {
    const calls: (number | undefined)[] = [];
    await showAppBadge(0, { setAppBadge: async (n) => void calls.push(n) });
    expect(calls).toEqual([0]);
  });

  it('does nothing without the Badging API and never rejects when the platform refuses', async () => {
    await expect(showAppBadge(4, {})).resolves.toBeUndefined();
    await expect(showAppBadge(4, undefined)).resolves.toBeUndefined();
    const refusing: BadgeHost = {
      setAppBadge: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
      clearAppBadge: () => {
        throw new Error('sync throw');
      },
    };
    await expect(showAppBadge(4, refusing)).resolves.toBeUndefined();
    await expect(showAppBadge(0, refusing)).resolves.toBeUndefined();
  });
});
