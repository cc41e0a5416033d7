// Invites carry relay addresses as WebSocket URLs (the signaling endpoint). The mailbox and
// /config live on the same server over HTTP, so derive that base once, strictly.

import { HearthError } from '../core/errors.ts';

export type RelayUrlErrorCode = 'not-a-url' | 'bad-scheme' | 'has-credentials';

const MESSAGES: Record<RelayUrlErrorCode, string> = {
  'not-a-url':
    'This is not a relay address. Check it, or ask the person who runs your relay for the right one.',
  'bad-scheme':
    'A relay address must start with wss:// (or ws://, https://, http://). Check the address and try again.',
  'has-credentials':
    'A relay address must not contain a user name or password. Remove them and try again.',
};

export class RelayUrlError extends HearthError<RelayUrlErrorCode> {
  override readonly name = 'RelayUrlError';
  /** `detail` is for developers; the message, fixed per code, is for people. */
  constructor(code: RelayUrlErrorCode, detail?: string) {
    super(code, MESSAGES[code], { detail });
  }
}

const HTTP_OF: Record<string, string> = {
  'ws:': 'http:',
  'wss:': 'https:',
  'http:': 'http:',
  'https:': 'https:',
};

/**
 * `wss://relay.example/signal` -> `https://relay.example`; `ws://host:8787/hearth/signal`
 * -> `http://host:8787/hearth`. Query and fragment are dropped; credentials are refused.
 */
export function relayHttpBase(relayUrl: string): string {
  let url: URL;
  try {
    url = new URL(relayUrl.trim());
  } catch {
    throw new RelayUrlError('not-a-url', `URL() refused “${relayUrl}”`);
  }
  const protocol = HTTP_OF[url.protocol];
  if (!protocol) {
    throw new RelayUrlError('bad-scheme', `scheme ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new RelayUrlError('has-credentials');
  }
  const path = url.pathname
    .replace(/\/+$/, '')
    .replace(/\/signal$/, '')
    .replace(/\/+$/, '');
  return `${protocol}//${url.host}${path}`;
}

/** The signaling URL y-webrtc should use for a relay address (ws(s), path /signal). */
export function relaySignalingUrl(relayUrl: string): string {
  const base = relayHttpBase(relayUrl);
  return `${base.replace(/^http/, 'ws')}/signal`;
}
