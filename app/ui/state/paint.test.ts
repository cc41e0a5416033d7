import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterPaintIdle, holdPaint } from './paint.ts';

/** Frames and idle periods come on the next timer turn, as in a page with nothing to do. */
beforeEach(() => {
  const soon = (cb: () => void) => setTimeout(cb, 0);
  vi.stubGlobal('requestAnimationFrame', soon);
  vi.stubGlobal('requestIdleCallback', soon);
  vi.stubGlobal('window', { requestIdleCallback: soon });
});
afterEach(() => vi.unstubAllGlobals());

/** Whether `p` has settled after a few timer turns. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
  return done;
}

describe('afterPaintIdle', () => {
  it('resolves after the next frame when nothing holds it', async () => {
    expect(await settled(afterPaintIdle())).toBe(true);
  });

  it('waits while a screen holds it, and goes on once every hold is released', async () => {
    const one = holdPaint();
    const two = holdPaint();
    const waiting = afterPaintIdle();
    expect(await settled(waiting)).toBe(false);
    one();
    one(); // releasing twice does not release another screen's hold
    expect(await settled(waiting)).toBe(false);
    two();
    expect(await settled(waiting)).toBe(true);
  });

  it('keeps waiting for a hold taken while it waited for the frame', async () => {
    const waiting = afterPaintIdle();
    const late = holdPaint();
    expect(await settled(waiting)).toBe(false);
    late();
    expect(await settled(waiting)).toBe(true);
  });
});
