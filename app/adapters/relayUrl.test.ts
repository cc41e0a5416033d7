import { describe, expect, it } from 'vitest';
import { RelayUrlError, relayHttpBase, relaySignalingUrl } from './relayUrl.ts';

describe('relayHttpBase', () => {
  it('maps ws to http and wss to https, stripping /signal', () => {
    expect(relayHttpBase('wss://relay.example.org/signal')).toBe('https://relay.example.org');
    expect(relayHttpBase('ws://127.0.0.1:8787/signal')).toBe('http://127.0.0.1:8787');
    expect(relayHttpBase('wss://relay.example.org')).toBe('https://relay.example.org');
    expect(relayHttpBase('wss://relay.example.org/')).toBe('https://relay.example.org');
    expect(relayHttpBase('ws://[::1]:9000/signal/')).toBe('http://[::1]:9000');
  });
  it('keeps a base path, and drops query and fragment', () => {
    expect(relayHttpBase('wss://example.org/hearth/signal?x=1#y')).toBe(
      'https://example.org/hearth',
    );
    expect(relayHttpBase('https://example.org/hearth/')).toBe('https://example.org/hearth');
    expect(relayHttpBase('wss://example.org/signaller')).toBe('https://example.org/signaller');
  });
  it('refuses other schemes, credentials and junk', () => {
    expect(() => relayHttpBase('ftp://example.org')).toThrow(RelayUrlError);
    expect(() => relayHttpBase('javascript:alert(1)')).toThrow(RelayUrlError);
    expect(() => relayHttpBase('wss://me:pw@example.org/signal')).toThrow(/user name/);
    expect(() => relayHttpBase('not a url')).toThrow(RelayUrlError);
  });
});

describe('relaySignalingUrl', () => {
  it('points at /signal over ws(s)', () => {
    expect(relaySignalingUrl('https://example.org/hearth')).toBe('wss://example.org/hearth/signal');
    expect(relaySignalingUrl('ws://127.0.0.1:8787/signal')).toBe('ws://127.0.0.1:8787/signal');
  });
});
