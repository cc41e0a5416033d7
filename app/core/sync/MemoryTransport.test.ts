import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MemoryHub } from './MemoryTransport.ts';
import type { TransportStatus } from './Transport.ts';

const text = (d: Y.Doc) => d.getText('t').toString();

describe('MemoryTransport', () => {
  it('links started docs both ways and reports peers', () => {
    const hub = new MemoryHub();
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'from a. ');
    const ta = hub.transport(a);
    const tb = hub.transport(b);
    const seen: TransportStatus[] = [];
    ta.onStatus((s) => seen.push(s));
    expect(ta.status).toEqual({ state: 'disconnected', peers: 0 });
    ta.start();
    tb.start();
    expect(text(b)).toBe('from a. ');
    expect(ta.status).toEqual({ state: 'connected', peers: 1 });
    b.getText('t').insert(8, 'from b.');
    expect(text(a)).toBe('from a. from b.');
    expect(seen).toEqual([
      { state: 'connected', peers: 0 },
      { state: 'connected', peers: 1 },
    ]);
  });

  it('stops exchanging after stop, and catches up on start', () => {
    const hub = new MemoryHub();
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ta = hub.transport(a);
    const tb = hub.transport(b);
    ta.start();
    tb.start();
    tb.stop();
    expect(ta.status.peers).toBe(0);
    expect(tb.status).toEqual({ state: 'disconnected', peers: 0 });
    a.getText('t').insert(0, 'while b was away');
    expect(text(b)).toBe('');
    tb.start();
    expect(text(b)).toBe('while b was away');
    tb.destroy();
    tb.start();
    expect(tb.status.state).toBe('disconnected');
  });
});
