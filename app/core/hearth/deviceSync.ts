// Keeping the group lists of one member's devices in step after they were linked
// (docs/ARCHITECTURE.md, "Devices"; docs/SECURITY.md, "Linked devices"). Linking copies the
// list once; after that, a group this member creates, joins or leaves on one device reaches
// the others through a private channel of the member's own: a Yjs document in a mailbox room
// derived from the identity's secret (so only holders of the identity find it), stored and
// synced by the same EncryptedDocStore and MailboxSync as any group.
//
// Every holder of the identity can derive that room, an unlinked device too, and unlinking
// rotates nothing about the identity. So the channel's key alone protects nothing from a lost
// device: each message in it is also boxed from the sending device's own x25519 key to one
// receiving device's key (nacl.box, which authenticates both ends). A device sends only to
// the member's devices that no group shows as unlinked, and takes messages only from such
// devices; a device unlinked anywhere receives nothing written after its unlink was known.
import nacl from 'tweetnacl';
import * as Y from 'yjs';
import { boxTo, openBoxed } from '../crypto/box.ts';
import { concatBytes, fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes.ts';
import { type BoxPublicKey, deriveEpochKeys, type GroupId, type GroupKey } from '../crypto/keys.ts';
import type { DeviceView } from '../features/devices/Devices.ts';
import type { DeviceKeys, Identity } from '../identity/Identity.ts';
import { EncryptedDocStore } from '../storage/EncryptedDocStore.ts';
import type { StorageAdapter } from '../storage/StorageAdapter.ts';
import type { Mailbox } from '../sync/Mailbox.ts';
import { MailboxSync } from '../sync/MailboxSync.ts';

/** This device's own notes about the channel: the member's other devices, groups left. */
export const DEVICE_SYNC_PREFIX = ['device-sync'] as const;
const PEERS_KEY = [...DEVICE_SYNC_PREFIX, 'peers'] as const;
const LEFT_PREFIX = [...DEVICE_SYNC_PREFIX, 'left'] as const;
/** The channel's one map: `<to device>:<from device>:<tag of the group>` -> boxed message. */
const MESSAGES_MAP = 'to';

/** One of the member's other devices, as its device record (or the link) names it. */
export interface Peer {
  readonly device: string;
  readonly boxKey: BoxPublicKey;
  readonly label: string;
}

/** What one device tells another about one group: its registry row, or that it was left. */
interface Message {
  readonly v: 1;
  readonly g: string;
  /** When the sending device joined (or left); the newest message about a group wins. */
  readonly at: number;
  /** The registry row as Hearth stores it (GroupEntry JSON); absent when `left`. */
  readonly entry?: unknown;
  readonly left?: true;
}

/** What the channel needs of Hearth (closures over its private parts). */
export interface DeviceSyncHost {
  readonly storage: StorageAdapter;
  readonly mailbox: Mailbox;
  readonly now: () => number;
  me(): Identity;
  /** The registry rows on this device: id, JSON and when it was joined. */
  entries(): readonly { groupId: string; joinedAt: number; json: unknown }[];
  /** The member's device records in every group on this device (opening them as needed). */
  deviceViews(): Promise<readonly DeviceView[]>;
  /** Adds a group another device joined (a registry row as stored); false if unreadable. */
  adopt(json: unknown): Promise<boolean>;
  /** Deletes this device's copy of a group another device left (Hearth's leave, minus the record). */
  forget(groupId: string): Promise<void>;
}

/** The channel's key: only holders of the identity can derive it. */
export function deviceSyncKey(identity: Identity): GroupKey {
  const seed = identity.signing.secretKey.subarray(0, 32);
  return nacl.hash(concatBytes(utf8('hearth/device-sync/v1'), seed)).slice(0, 32) as GroupKey;
}

/** Remembers another device of this member (at linking: each side learns the other). */
export async function rememberPeer(storage: StorageAdapter, peer: Peer): Promise<void> {
  const known = await loadPeers(storage);
  if (known.some((p) => p.device === peer.device)) return;
  await storage.save(PEERS_KEY, peersToJSON([...known, peer]));
}

export function peersToJSON(peers: readonly Peer[]): Uint8Array {
  return utf8(
    JSON.stringify(
      peers.map((p) => ({ device: p.device, boxKey: toBase64Url(p.boxKey), label: p.label })),
    ),
  );
}

/** The storage row that `rememberPeer` writes, for a batch (linking). */
export const peersKey = (): readonly string[] => PEERS_KEY;

async function loadPeers(storage: StorageAdapter): Promise<Peer[]> {
  const raw = await storage.load(PEERS_KEY);
  if (!raw) return [];
  try {
    const rows = JSON.parse(fromUtf8(raw)) as { device: string; boxKey: string; label: string }[];
    return rows.map((r) => ({
      device: r.device,
      boxKey: fromBase64Url(r.boxKey) as BoxPublicKey,
      label: r.label,
    }));
  } catch {
    return [];
  }
}

const tagOf = (to: string, groupId: string): string =>
  toBase64Url(nacl.hash(utf8(`hearth/device-sync-tag/v1\n${to}\n${groupId}`)).subarray(0, 12));

export class DeviceSync {
  readonly #doc: Y.Doc;
  readonly #store: EncryptedDocStore;
  readonly #sync: MailboxSync;
  #applying: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    private readonly host: DeviceSyncHost,
    private readonly device: DeviceKeys,
    doc: Y.Doc,
    store: EncryptedDocStore,
    sync: MailboxSync,
  ) {
    this.#doc = doc;
    this.#store = store;
    this.#sync = sync;
    this.#map.observe((e) => {
      if (!e.transaction.local || e.transaction.origin === store) this.#scheduleApply();
    });
  }

  /** Opens the channel from local storage and starts syncing it; null without device keys. */
  static async open(host: DeviceSyncHost): Promise<DeviceSync | null> {
    const me = host.me();
    if (!me.device) return null;
    const keys = deriveEpochKeys(deviceSyncKey(me));
    const doc = new Y.Doc();
    const store = new EncryptedDocStore(
      host.storage,
      `device-sync-${me.id}` as GroupId,
      keys.storeKey,
    );
    await store.attach(doc);
    const sync = new MailboxSync({
      doc,
      keys,
      mailbox: host.mailbox,
      storage: host.storage,
      ignoreOrigins: [store],
      beforeCursorCommit: () => store.flush(),
    });
    const channel = new DeviceSync(host, me.device, doc, store, sync);
    sync.start();
    return channel;
  }

  get #map(): Y.Map<string> {
    return this.#doc.getMap<string>(MESSAGES_MAP);
  }

  /**
   * The member's other devices that may hear of groups: those remembered at linking and those
   * with a device record, less every device that any group shows as unlinked.
   */
  async peers(): Promise<Peer[]> {
    const views = await this.host.deviceViews();
    const gone = new Set(views.filter((v) => v.unlinked).map((v) => v.device));
    const out = new Map<string, Peer>();
    for (const p of [...(await loadPeers(this.host.storage)), ...views]) {
      if (p.device === this.device.id || gone.has(p.device)) continue;
      out.set(p.device, { device: p.device, boxKey: p.boxKey, label: p.label });
    }
    return [...out.values()];
  }

  /** Tells the other devices of a group this device is now in (created or joined). */
  async joined(groupId: string): Promise<void> {
    const row = this.host.entries().find((e) => e.groupId === groupId);
    if (!row) return;
    await this.#send({ v: 1, g: groupId, at: row.joinedAt, entry: row.json });
  }

  /** Tells the other devices that the member left a group (they then delete their copy). */
  async left(groupId: string): Promise<void> {
    const at = this.host.now();
    await this.host.storage.save([...LEFT_PREFIX, groupId], utf8(String(at)));
    await this.#send({ v: 1, g: groupId, at, left: true });
  }

  /**
   * Sends every group on this device to each peer that has not been told of it by this
   * device yet (a device learnt of later, or a group joined while the channel was closed).
   */
  async reconcile(): Promise<void> {
    const peers = await this.peers();
    for (const row of this.host.entries()) {
      const missing = peers.filter(
        (p) => !this.#map.has(`${p.device}:${this.device.id}:${tagOf(p.device, row.groupId)}`),
      );
      if (missing.length === 0) continue;
      this.#write(missing, { v: 1, g: row.groupId, at: row.joinedAt, entry: row.json });
    }
    await this.#store.flush();
    await this.#scheduleApply();
  }

  /** Fetches what the other devices sent and acts on it. */
  async pull(): Promise<void> {
    await this.#sync.pull();
    await this.#scheduleApply();
  }

  async flush(): Promise<void> {
    await this.#store.flush();
    await this.#sync.flush();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#applying.catch(() => undefined);
    await this.#sync.destroy();
    await this.#store.detach();
    this.#doc.destroy();
  }

  async #send(message: Message): Promise<void> {
    this.#write(await this.peers(), message);
    await this.flush();
  }

  #write(peers: readonly Peer[], message: Message): void {
    const plain = utf8(JSON.stringify(message));
    this.#doc.transact(() => {
      for (const p of peers) {
        this.#map.set(
          `${p.device}:${this.device.id}:${tagOf(p.device, message.g)}`,
          boxTo(plain, p.boxKey, this.device.box.secretKey),
        );
      }
    });
  }

  #scheduleApply(): Promise<void> {
    this.#applying = this.#applying.catch(() => undefined).then(() => this.#apply());
    return this.#applying;
  }

  /** Opens the messages boxed to this device by a linked device; the newest per group wins. */
  async #apply(): Promise<void> {
    if (this.#closed) return;
    const mine = `${this.device.id}:`;
    const senders = new Map((await this.peers()).map((p) => [p.device, p]));
    const newest = new Map<string, Message>();
    for (const [key, value] of this.#map.entries()) {
      if (!key.startsWith(mine)) continue;
      const from = senders.get(key.split(':')[1] ?? '');
      const message = from ? this.#open(value, from) : null;
      if (!message || key !== `${mine}${from?.device}:${tagOf(this.device.id, message.g)}`) {
        continue;
      }
      const seen = newest.get(message.g);
      if (!seen || seen.at < message.at) newest.set(message.g, message);
    }
    const rows = new Map(this.host.entries().map((e) => [e.groupId, e]));
    for (const m of newest.values()) {
      if (this.#closed) return;
      const row = rows.get(m.g);
      if (m.left) {
        if (row && row.joinedAt < m.at) {
          await this.host.storage.save([...LEFT_PREFIX, m.g], utf8(String(m.at)));
          await this.host.forget(m.g);
        }
        continue;
      }
      const leftAt = Number(
        fromUtf8((await this.host.storage.load([...LEFT_PREFIX, m.g])) ?? utf8('0')),
      );
      const named = (m.entry as { groupId?: unknown } | null)?.groupId;
      if (!row && leftAt < m.at && named === m.g) await this.host.adopt(m.entry);
    }
  }

  #open(value: string, from: Peer): Message | null {
    const plain = openBoxed(value, from.boxKey, this.device.box.secretKey);
    if (!plain) return null;
    try {
      const m = JSON.parse(fromUtf8(plain)) as Message;
      return m?.v === 1 && typeof m.g === 'string' && typeof m.at === 'number' ? m : null;
    } catch {
      return null;
    }
  }
}
