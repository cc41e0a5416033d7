// Invitations that expire: making one (a capsule on the group's relay, a short link, and an
// invite record that tells the group without giving the link away), the group's list of open
// invitations with their state on the relay, withdrawing one (by its inviter, the creator or
// an admin named when it was made), and on the other side resolving a link to what it offers
// and joining through it without letting an invitation capture or hide a group the device
// already holds.
import { bytesEqual, fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes.ts';
import { type MemberId, signingKeyOfMember } from '../crypto/keys.ts';
import { membershipSlots } from '../features/membership/Membership.ts';
import { creatorOf } from '../features/origin/Origin.ts';
import type { Group } from '../group/Group.ts';
import type { GroupEntry, GroupRuntime } from '../hearth/Hearth.ts';
import type { Identity } from '../identity/Identity.ts';
import type { StorageAdapter, StorageKey } from '../storage/StorageAdapter.ts';
import { deriveCapsuleKeys, generateInviteSecret, openCapsule, sealCapsule } from './capsule.ts';
import type { CapsuleStatus, InviteRelay } from './InviteRelay.ts';
import { type Invite, InviteError } from './invite.ts';
import { encodeCreate, encodeRevoke, INVITE_MAX_TTL_MS, INVITE_MAX_USES } from './inviteWire.ts';
import { revokersOf } from './revokers.ts';
import { createShortLink, INVITE_SECRET_BYTES, parseAnyInvite } from './shortLink.ts';

export const DEFAULT_INVITE_TTL_MS = INVITE_MAX_TTL_MS;
export const MIN_INVITE_TTL_MS = 60_000;
/** The inviter's own record of the invitations they made, one row each. */
export const INVITES_PREFIX = ['invites'] as const;

/** What Invites needs of the Hearth service (Hearth itself fits). */
export interface InviteHost {
  readonly me: Identity;
  readonly env: {
    readonly storage: StorageAdapter;
    readonly origin: string;
    readonly defaultRelay: string;
    readonly now?: () => number;
  };
  entry(groupId: string): GroupEntry | undefined;
  open(groupId: string): Promise<Pick<GroupRuntime, 'group' | 'features'>>;
  join(invite: Invite): Promise<GroupRuntime>;
  /**
   * Sets aside the group held under the invitation's id when it does not prove that id and the
   * invitation's group does (Hearth.replaceUnproven); true when it did.
   */
  replaceUnproven(invite: Invite): Promise<boolean>;
}

// Who may withdraw: revokers.ts (re-exported, so callers keep one import).
export { mayRevoke, type RevokerContext, revokersOf } from './revokers.ts';

// --- the inviter's side --------------------------------------------------------------------

export interface InviteOptions {
  /** How long the invitation works, 1 minute to 7 days; default 7 days. */
  readonly ttlMs?: number;
  /** How many times it can be opened; 0 (default) for no limit, else 1 to 1000. */
  readonly maxUses?: number;
}

/** An invitation this member made, as kept on their device. */
export interface IssuedInvite {
  readonly room: string;
  readonly groupId: string;
  readonly link: string;
  readonly relay: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly maxUses: number;
}

/** An issued invitation with what its relay says now. */
export interface InviteView extends IssuedInvite {
  /** Uses so far, or undefined when the relay could not be asked. */
  readonly uses: number | undefined;
  readonly state: 'active' | 'unknown';
}

interface BookRow {
  v: 1;
  secret: string;
  relay: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
}

function readRow(data: Uint8Array): BookRow | null {
  try {
    const j = JSON.parse(fromUtf8(data)) as Partial<BookRow>;
    if (j.v !== 1 || typeof j.secret !== 'string' || typeof j.relay !== 'string') return null;
    if (typeof j.createdAt !== 'number' || typeof j.expiresAt !== 'number') return null;
    if (typeof j.maxUses !== 'number') return null;
    if (fromBase64Url(j.secret).length !== INVITE_SECRET_BYTES) return null;
    return j as BookRow;
  } catch {
    return null;
  }
}

/** An invitation to the group, whoever made it, as the Invite screen lists it. */
export interface GroupInviteView {
  readonly room: string;
  readonly relay: string;
  readonly inviter: MemberId;
  /** The inviter's name in the group, or null when their member record is missing. */
  readonly inviterName: string | null;
  /** Made by this member. */
  readonly mine: boolean;
  readonly createdAt: number;
  /** When it stops working (the relay's word when it could be asked). */
  readonly expiresAt: number;
  /** 0: no limit. */
  readonly maxUses: number;
  /** Uses so far, or undefined when the relay could not be asked. */
  readonly uses: number | undefined;
  readonly state: 'active' | 'unknown';
  /** Whether this member is one of the keys its relay accepts a withdrawal from. */
  readonly mayWithdraw: boolean;
}

export type InviterStanding = 'member' | 'not-a-member' | 'unknown';

export interface JoinResult {
  readonly runtime: GroupRuntime | Pick<GroupRuntime, 'group' | 'features'>;
  readonly groupId: string;
  /** True when the device was already in the group: nothing was changed. */
  readonly already: boolean;
  /**
   * Whether the inviter is a member of the group as its signed records say, once they have
   * arrived ('unknown' until then).
   */
  readonly inviter: InviterStanding;
  /**
   * True when a group this device held under the same id could not prove it was that group
   * while this one could: the other was set aside (kept on the device, off the list).
   */
  readonly setAside?: boolean;
}

/** What a link offers, before anyone joins. */
export interface ResolvedInvite {
  readonly invite: Invite;
  /** When the invitation stops working; undefined for a long link of the old format. */
  readonly expiresAt: number | undefined;
  readonly short: boolean;
}

export interface InviteDeps {
  /** The invite endpoints of a relay (its ws(s):// signaling address). */
  relayFor(relayUrl: string): InviteRelay;
  /** The app's own relay: where a short link without a relay keeps its capsule. */
  readonly defaultRelay: string;
  readonly now?: () => number;
}

/**
 * Reads a link and, for a short one, fetches and opens its capsule (one use). A long link of
 * the old format is read as it is. Throws InviteError: 'gone' for an expired, withdrawn or used
 * up invitation (and then nothing about the group is known), 'tampered', 'unreachable', and the
 * link format's own codes.
 */
export async function resolveInvite(text: string, deps: InviteDeps): Promise<ResolvedInvite> {
  const parsed = parseAnyInvite(text);
  if (parsed.kind === 'long') return { invite: parsed.invite, expiresAt: undefined, short: false };
  const keys = deriveCapsuleKeys(parsed.short.secret);
  const relay = parsed.short.relay ?? deps.defaultRelay;
  const sealed = await deps.relayFor(relay).open(keys.room);
  const c = openCapsule(sealed, keys, (deps.now ?? Date.now)());
  return {
    invite: {
      version: 1,
      groupKey: c.groupKey,
      groupId: c.groupId,
      groupName: c.groupName,
      inviterName: c.inviterName,
      inviterId: c.inviterId,
      relays: c.relays,
    },
    expiresAt: c.expiresAt,
    short: true,
  };
}

/**
 * Whether `inviterId` is a member of `group` by its signed records. 'unknown' while the group's
 * records have not arrived (no signed group record yet).
 */
export async function inviterStanding(group: Group, inviterId: MemberId): Promise<InviterStanding> {
  const status = (await group.verify([inviterId])).get(inviterId);
  if (status === 'valid') return 'member';
  if (group.info().createdBy === undefined) return 'unknown';
  return 'not-a-member';
}

export class Invites {
  constructor(
    private readonly host: InviteHost,
    private readonly relayFor: (relayUrl: string) => InviteRelay,
  ) {}

  private now(): number {
    return (this.host.env.now ?? Date.now)();
  }

  private rowKey(groupId: string, room: string): StorageKey {
    return [...INVITES_PREFIX, groupId, room];
  }

  private deps(): InviteDeps {
    return {
      relayFor: this.relayFor,
      defaultRelay: this.host.env.defaultRelay,
      now: () => this.now(),
    };
  }

  /**
   * Makes an invitation to `groupId`: a capsule signed by this member, kept by the group's
   * relay until it expires, is withdrawn or is used up, and a short link to it.
   */
  async create(groupId: string, options: InviteOptions = {}): Promise<IssuedInvite> {
    const ttlMs = options.ttlMs ?? DEFAULT_INVITE_TTL_MS;
    const maxUses = options.maxUses ?? 0;
    if (!Number.isSafeInteger(ttlMs) || ttlMs < MIN_INVITE_TTL_MS || ttlMs > INVITE_MAX_TTL_MS) {
      throw new InviteError('bad-options', `ttl ${ttlMs}`);
    }
    if (!Number.isSafeInteger(maxUses) || maxUses < 0 || maxUses > INVITE_MAX_USES) {
      throw new InviteError('bad-options', `uses ${maxUses}`);
    }
    const me = this.host.me;
    const rt = await this.host.open(groupId);
    const entry = this.host.entry(groupId);
    if (!entry) throw new InviteError('bad-field', 'group is not on this device');
    // The group hears of the invitation through a signed record, which only a member can
    // write: check before the capsule goes out, so no invitation exists that the group cannot see.
    rt.group.requireMember(me);
    // Admins count only once their role records are checked; check before naming them.
    await rt.group.verify(membershipSlots(rt.group));
    const revokers = revokersOf({
      inviterId: me.id,
      creatorId: creatorOf(rt.group),
      admins: [...rt.features.membership.admins()],
    });
    const secret = generateInviteSecret();
    const keys = deriveCapsuleKeys(secret);
    const createdAt = this.now();
    const expiresAt = createdAt + ttlMs;
    const capsule = sealCapsule(
      {
        // After a removal the group lives under a newer key: invite to that one.
        groupKey: entry.epochKey ?? entry.groupKey,
        groupId: entry.groupId,
        inviterId: me.id,
        expiresAt,
        groupName: entry.name,
        inviterName: me.name,
        relays: entry.relays,
      },
      me.signing.secretKey,
      keys,
    );
    const relay = entry.relays[0] ?? this.host.env.defaultRelay;
    const body = encodeCreate(
      keys.room,
      { expiresAt, maxUses, revokers: revokers.map(signingKeyOfMember), capsule },
      me.signing.secretKey,
    );
    await this.relayFor(relay).put(keys.room, body);
    // What the others need to list and withdraw it, never the secret (features/invites).
    rt.features.invites.announce(me, { room: keys.room, relay, expiresAt, maxUses, revokers });
    const row: BookRow = {
      v: 1,
      secret: toBase64Url(secret),
      relay,
      createdAt,
      expiresAt,
      maxUses,
    };
    await this.host.env.storage.save(this.rowKey(groupId, keys.room), utf8(JSON.stringify(row)));
    return this.issued(groupId, keys.room, row);
  }

  private issued(groupId: string, room: string, row: BookRow): IssuedInvite {
    const defaultRelay = this.host.env.defaultRelay;
    return {
      room,
      groupId,
      relay: row.relay,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      maxUses: row.maxUses,
      link: createShortLink({
        secret: fromBase64Url(row.secret),
        relay: row.relay === defaultRelay ? null : row.relay,
        origin: this.host.env.origin,
      }),
    };
  }

  /**
   * This member's invitations to `groupId` that still work, newest first, each with its uses
   * as the relay counts them. Expired, withdrawn and used up ones are forgotten on the way.
   */
  async list(groupId: string): Promise<InviteView[]> {
    const storage = this.host.env.storage;
    const rows = await storage.loadRange([...INVITES_PREFIX, groupId]);
    const now = this.now();
    const out: InviteView[] = [];
    await Promise.all(
      rows.map(async ({ key, data }) => {
        const room = key[key.length - 1];
        const row = readRow(data);
        if (!row || typeof room !== 'string' || row.expiresAt <= now) {
          await storage.remove(key);
          return;
        }
        let status: CapsuleStatus | null | undefined;
        try {
          status = await this.relayFor(row.relay).status(room);
        } catch (e) {
          if (!(e instanceof InviteError)) throw e;
          status = undefined;
        }
        if (status === null) {
          await storage.remove(key);
          return;
        }
        out.push({
          ...this.issued(groupId, room, row),
          uses: status?.uses,
          state: status ? 'active' : 'unknown',
        });
      }),
    );
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Every invitation to `groupId` that still works, whoever made it, newest first: the
   * group's invite records (checked, not expired, not withdrawn) that the relay still keeps,
   * with their uses, and whether this member may withdraw each. This device's own invitations
   * made before the group had invite records are listed too.
   */
  async listGroup(groupId: string): Promise<GroupInviteView[]> {
    const me = this.host.me;
    const rt = await this.host.open(groupId);
    const records = rt.features.invites;
    await rt.group.verify(records.slots());
    const now = this.now();
    const known = this.relaysOf(groupId);
    const rows = new Map<string, BookRow>();
    for (const { key, data } of await this.host.env.storage.loadRange([
      ...INVITES_PREFIX,
      groupId,
    ])) {
      const room = key[key.length - 1];
      const row = readRow(data);
      if (row && typeof room === 'string' && row.expiresAt > now) rows.set(room, row);
    }
    const candidates: Omit<GroupInviteView, 'uses' | 'state'>[] = records.open(now).map((i) => ({
      room: i.room,
      relay: i.relay,
      inviter: i.inviter,
      inviterName: i.inviterName,
      mine: i.inviter === me.id,
      createdAt: i.createdAt,
      expiresAt: i.expiresAt,
      maxUses: i.maxUses,
      mayWithdraw: records.mayWithdraw({ author: i.inviter, revokers: i.revokers }, me.id),
    }));
    const listed = new Set(candidates.map((c) => c.room));
    for (const [room, row] of rows) {
      if (listed.has(room) || records.byRoom(room).some((r) => records.withdrawnBy(r))) continue;
      candidates.push({
        room,
        relay: row.relay,
        inviter: me.id,
        inviterName: rt.group.memberName(me.id),
        mine: true,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
        maxUses: row.maxUses,
        mayWithdraw: true,
      });
    }
    const out = await Promise.all(
      candidates.map(async (c): Promise<GroupInviteView | null> => {
        // Only relays this device already uses for the group are asked: a record names its
        // relay, and a member's record must not send other members' devices elsewhere.
        let status: CapsuleStatus | null | undefined;
        if (known.includes(c.relay)) {
          try {
            status = await this.relayFor(c.relay).status(c.room);
          } catch (e) {
            if (!(e instanceof InviteError)) throw e;
          }
        }
        if (status === null) return null;
        return {
          ...c,
          expiresAt: status ? Math.min(c.expiresAt, status.expiresAt) : c.expiresAt,
          uses: status?.uses,
          state: status ? 'active' : 'unknown',
        };
      }),
    );
    return out
      .filter((v): v is GroupInviteView => v !== null)
      .sort((a, b) => b.createdAt - a.createdAt || (a.room < b.room ? -1 : 1));
  }

  /**
   * Calls `onChange` whenever the group's invite records (or member names) change, so a list
   * of open invitations can be read again. Returns the unsubscribe function.
   */
  async watch(groupId: string, onChange: () => void): Promise<() => void> {
    const rt = await this.host.open(groupId);
    return rt.group.onChange((c) => {
      if (c.members || c.kinds.has('invite') || c.kinds.has('invite-withdrawn')) onChange();
    });
  }

  /** The relays this device uses for the group: the only ones it sends invite requests to. */
  private relaysOf(groupId: string): string[] {
    return [...(this.host.entry(groupId)?.relays ?? []), this.host.env.defaultRelay];
  }

  /**
   * Withdraws an invitation to `groupId`: its inviter, the group's creator or an admin when it
   * was made (its revokers, see revokers.ts) asks the relay to delete its capsule, so the link
   * opens nothing from then on, and then tells the group with a signed record so every
   * member's list drops it. One the relay no longer has is recorded as withdrawn all the same.
   */
  async revoke(groupId: string, room: string): Promise<void> {
    const me = this.host.me;
    const key = this.rowKey(groupId, room);
    const data = await this.host.env.storage.load(key);
    const row = data ? readRow(data) : null;
    const rt = await this.host.open(groupId);
    const records = rt.features.invites;
    await rt.group.verify(records.slots());
    const mine = records.byRoom(room).find((r) => records.mayWithdraw(r, me.id));
    const relay = row?.relay ?? mine?.relay;
    if (relay === undefined) {
      throw new InviteError('not-allowed', 'not a revoker of any invitation with this room');
    }
    if (!this.relaysOf(groupId).includes(relay)) {
      throw new InviteError('not-allowed', `relay ${relay} is not one of this group's`);
    }
    const body = encodeRevoke(room, this.now(), me.signing.secretKey);
    try {
      await this.relayFor(relay).revoke(room, body);
    } catch (e) {
      if (!(e instanceof InviteError && e.code === 'gone')) throw e;
    }
    if (rt.group.isMember(me.id)) records.markWithdrawn(me, room);
    await this.host.env.storage.remove(key);
  }

  /** See resolveInvite. */
  resolve(text: string): Promise<ResolvedInvite> {
    return resolveInvite(text, this.deps());
  }

  /**
   * Joins through a resolved invitation. A group already on this device is opened, never
   * changed, with one exception: when it does not prove its id (a fake joined earlier, say)
   * and the invitation's group does, the held one is set aside and the invitation's joined
   * (`setAside`). Otherwise an invitation with another key for it must be signed by one of its
   * members (an older key of the same group), else it is refused as 'conflict'. After a fresh
   * join the group's records are pulled once and the inviter's membership is checked.
   */
  async join(resolved: ResolvedInvite): Promise<JoinResult> {
    const { invite } = resolved;
    const existing = this.host.entry(invite.groupId);
    if (existing) {
      const held = [existing.groupKey, existing.epochKey].filter((k) => k !== undefined);
      const sameKey = held.some((k) => bytesEqual(k, invite.groupKey));
      if (!sameKey && (await this.host.replaceUnproven(invite))) {
        return { ...(await this.joinFresh(invite)), setAside: true };
      }
      const rt = await this.host.open(invite.groupId);
      const standing = await inviterStanding(rt.group, invite.inviterId);
      if (!sameKey && standing !== 'member') {
        throw new InviteError('conflict', 'another key for a group on this device');
      }
      return { runtime: rt, groupId: invite.groupId, already: true, inviter: standing };
    }
    return this.joinFresh(invite);
  }

  private async joinFresh(invite: Invite): Promise<JoinResult> {
    const rt = await this.host.join(invite);
    await rt.ready;
    await rt.pullNow();
    return {
      runtime: rt,
      groupId: invite.groupId,
      already: false,
      inviter: await inviterStanding(rt.group, invite.inviterId),
    };
  }
}
