// The invitation formats' sizes and the relay address check, apart from the codecs: code
// that only checks records (features/invites, on the app's start path) needs these, and the
// codecs (invite.ts, shortLink.ts, capsule.ts, inviteWire.ts) load when an invitation is read
// or made. Those modules export these again under their old names.

/** The longest relay URL an invitation carries. */
export const INVITE_MAX_URL_CHARS = 300;
/** The largest sealed capsule a relay keeps (two names, eight relays and a signature fit). */
export const CAPSULE_MAX_BYTES = 8192;
/** A short link's secret. */
export const INVITE_SECRET_BYTES = 16;
/** The most uses one invitation may allow. */
export const INVITE_MAX_USES = 1000;
/** The most member keys allowed to withdraw one invitation. */
export const INVITE_MAX_REVOKERS = 4;

export const RELAY_SCHEMES = ['wss://', 'ws://'] as const;
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const RELAY_URL = new RegExp(
  `^wss?://(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9A-Fa-f:.]{2,45}\\])` +
    `(?::(\\d{1,5}))?(?:[/?][A-Za-z0-9\\-._~!$&'()*+,;=:@%/?]*)?$`,
);

/** True for a ws:// or wss:// URL with a plain host, an optional port and path, <= 300 chars. */
export function isRelayUrl(url: string): boolean {
  if (url.length > INVITE_MAX_URL_CHARS) return false;
  const m = RELAY_URL.exec(url);
  if (!m) return false;
  const port = m[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}
