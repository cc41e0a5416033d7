// Who in a group is online now, and when this device last saw the others. Each device tells
// its live peers (PresenceChannel: y-webrtc's awareness, over the peers' encrypted channels,
// never through the relay and never into the group's document) a small signed note: "member
// M is here, at time T". A reader believes a note only if it is signed by M's own key, M is a
// member, and T is recent, so a peer holding the group key cannot make someone else look
// online. Last-seen times are this device's own observations, kept in its private storage.
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes.ts';
import { type MemberId, signingKeyOfMember } from '../crypto/keys.ts';
import { sign, verify } from '../crypto/sign.ts';
import type { Me } from '../group/Group.ts';
import type { StorageAdapter, StorageKey } from '../storage/StorageAdapter.ts';
import { type Clock, systemClock } from '../sync/Clock.ts';
import type { PresenceChannel } from '../sync/Transport.ts';
import { Emitter } from '../util/Emitter.ts';

/** A note is signed again this often, so a fresh one is always on its way. */
export const PRESENCE_RENEW_MS = 60_000;
/** A note older than this (or further ahead than ALLOWED_SKEW_MS) is not believed. */
export const PRESENCE_MAX_AGE_MS = 3 * 60_000;
const ALLOWED_SKEW_MS = 60_000;
/** Last-seen times are written at most this often (and when someone goes offline). */
const SAVE_EVERY_MS = 30_000;

export const lastSeenKey = (groupId: string): StorageKey => ['last-seen', groupId];

export interface PresenceView {
  /** Members other than this one with a believed note from a connected peer now. */
  readonly online: ReadonlySet<string>;
  /** When this device last saw each member online (ms since epoch). */
  readonly lastSeen: ReadonlyMap<string, number>;
}

type Note = {
  readonly hearthPresence: 1;
  readonly member: string;
  readonly at: number;
  readonly sig: string;
};

const noteMessage = (groupId: string, member: string, at: number): Uint8Array =>
  utf8(`hearth/presence/v1\n${groupId}\n${member}\n${at}`);

export function signNote(groupId: string, me: Me, at: number): Note {
  const sig = sign(me.signing.secretKey, noteMessage(groupId, me.id, at));
  return { hearthPresence: 1, member: me.id, at, sig: toBase64Url(sig) };
}

/** The member a peer's state truly speaks for, or undefined. */
export function checkNote(
  state: unknown,
  groupId: string,
  isMember: (id: string) => boolean,
  now: number,
): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const n = state as Partial<Note>;
  if (n.hearthPresence !== 1 || typeof n.member !== 'string' || typeof n.sig !== 'string') {
    return undefined;
  }
  if (typeof n.at !== 'number' || !Number.isSafeInteger(n.at)) return undefined;
  if (n.at < now - PRESENCE_MAX_AGE_MS || n.at > now + ALLOWED_SKEW_MS) return undefined;
  if (!isMember(n.member)) return undefined;
  try {
    const ok = verify(
      signingKeyOfMember(n.member as MemberId),
      noteMessage(groupId, n.member, n.at),
      fromBase64Url(n.sig),
    );
    return ok ? n.member : undefined;
  } catch {
    return undefined;
  }
}

export interface GroupPresenceOptions {
  readonly groupId: string;
  /** The channel of the epoch this device syncs in now, if any. */
  channel(): PresenceChannel | undefined;
  /** Called when the channel may have changed (a new sync session). */
  onChannelChange(cb: () => void): () => void;
  readonly me: () => Me | null;
  readonly isMember: (id: string) => boolean;
  readonly storage: StorageAdapter;
  readonly clock?: Clock;
}

export class GroupPresence {
  readonly #o: GroupPresenceOptions;
  readonly #clock: Clock;
  readonly #changes = new Emitter<PresenceView>();
  #view: PresenceView = { online: new Set(), lastSeen: new Map() };
  #channel: PresenceChannel | undefined;
  #offChannel: (() => void) | undefined;
  readonly #offSession: () => void;
  #renew: unknown;
  #savedAt = 0;
  #closed = false;
  /** Notes already checked, by signature: awareness repeats the same note often. */
  #checked = new Map<string, string | undefined>();

  /** Starts at once; the remembered last-seen times join in once read. */
  constructor(o: GroupPresenceOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#offSession = o.onChannelChange(() => this.#bind());
    this.#bind();
    this.loaded = this.#load();
  }

  /** Settles once the remembered last-seen times are in the view. */
  readonly loaded: Promise<void>;

  async #load(): Promise<void> {
    let parsed: unknown;
    try {
      const raw = await this.#o.storage.load(lastSeenKey(this.#o.groupId));
      parsed = raw ? JSON.parse(fromUtf8(raw)) : {};
    } catch {
      return; // damaged or unreadable: last-seen times are a convenience, start again
    }
    const lastSeen = new Map(this.#view.lastSeen);
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === 'number' && Number.isFinite(v) && v > (lastSeen.get(k) ?? 0)) {
        lastSeen.set(k, v);
      }
    }
    this.#view = { online: this.#view.online, lastSeen };
    this.#changes.emit(this.#view);
  }

  get view(): PresenceView {
    return this.#view;
  }

  onChange(cb: (view: PresenceView) => void): () => void {
    return this.#changes.on(cb);
  }

  #bind(): void {
    if (this.#closed) return;
    const channel = this.#o.channel();
    if (channel === this.#channel) return;
    this.#offChannel?.();
    this.#channel = channel;
    this.#offChannel = channel?.onChange(() => this.#read());
    this.#announce();
    this.#read();
  }

  /** Tells the peers this member is here, and again every PRESENCE_RENEW_MS. */
  #announce(): void {
    this.#clock.clearTimeout(this.#renew);
    this.#renew = undefined;
    const me = this.#o.me();
    if (this.#closed || !this.#channel || !me) return;
    this.#channel.setLocal(signNote(this.#o.groupId, me, this.#clock.now()));
    this.#renew = this.#clock.setTimeout(() => this.#announce(), PRESENCE_RENEW_MS);
  }

  #read(): void {
    const now = this.#clock.now();
    const mine = this.#o.me()?.id;
    const online = new Set<string>();
    for (const state of this.#channel?.states() ?? []) {
      const sig = (state as { sig?: unknown } | null)?.sig;
      let member: string | undefined;
      if (typeof sig === 'string' && this.#checked.has(sig)) member = this.#checked.get(sig);
      else {
        member = checkNote(state, this.#o.groupId, this.#o.isMember, now);
        if (typeof sig === 'string') {
          if (this.#checked.size > 1000) this.#checked.clear();
          this.#checked.set(sig, member);
        }
      }
      // Still a member now, and a note from a device of this member's own is not "others".
      if (member && member !== mine && this.#o.isMember(member)) online.add(member);
    }
    const before = this.#view;
    const lastSeen = new Map(before.lastSeen);
    for (const m of online) lastSeen.set(m, now);
    // Someone who just went offline was seen until now.
    const wentOff = [...before.online].filter((m) => !online.has(m));
    for (const m of wentOff) lastSeen.set(m, now);
    this.#view = { online, lastSeen };
    const changed = wentOff.length > 0 || online.size !== before.online.size;
    if (wentOff.length > 0 || now - this.#savedAt >= SAVE_EVERY_MS) void this.#save(now);
    if (changed) this.#changes.emit(this.#view);
  }

  async #save(now: number): Promise<void> {
    if (this.#view.lastSeen.size === 0) return;
    this.#savedAt = now;
    const json = JSON.stringify(Object.fromEntries(this.#view.lastSeen));
    await this.#o.storage.save(lastSeenKey(this.#o.groupId), utf8(json)).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.clearTimeout(this.#renew);
    this.#offSession();
    this.#offChannel?.();
    this.#channel?.setLocal(null);
    const now = this.#clock.now();
    for (const m of this.#view.online) (this.#view.lastSeen as Map<string, number>).set(m, now);
    await this.#save(now);
  }
}
