// Invites carry relay addresses as WebSocket URLs (the signaling endpoint). The mailbox and
// /config live on the same server over HTTP, so derive that base once, strictly.

export class RelayUrlError extends Error {
  override readonly name = 'RelayUrlError';
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
    throw new RelayUrlError(`“${relayUrl}” is not a relay address.`);
  }
  const protocol = HTTP_OF[url.protocol];
  if (!protocol) {
    throw new RelayUrlError(
      'A relay address must start with wss:// (or ws://, https://, http://).',
    );
  }
  if (url.username || url.password) {
    throw new RelayUrlError('A relay address must not contain a user name or password.');
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
