// The app's one service object: the member's identity, the list of groups they belong to,
// and for each open group its document, encrypted store and sync session. Screens read from
// it and call its actions; it picks no adapter itself (the composition root injects them),
// so the whole flow runs under Node in tests.

import nacl from 'tweetnacl';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { bytesEqual, concatBytes, fromUtf8, utf8 } from '../crypto/bytes.ts';
import {
  deriveEpochKeys,
  deriveRoomId,
  type EpochKeys,
  type GroupId,
  type GroupKey,
  generateGroupKey,
  groupKeyFromText,
  groupKeyToText,
  type MemberId,
  type StoreKey,
} from '../crypto/keys.ts';
import { localSealer } from '../crypto/localSealed.ts';
import { Drafts } from '../drafts/Drafts.ts';
import { HearthError } from '../errors.ts';
import { writeDevice } from '../features/devices/index.ts';
import { writeLeave } from '../features/membership/index.ts';
import { NoteDocs } from '../features/notes/NoteDocs.ts';
import { newGroupId, writeOrigin } from '../features/origin/index.ts';
import { sharePost } from '../features/posts/Posts.ts';
import { FEATURE_KINDS, featuresOf, type GroupFeatures } from '../features/registry.ts';
import { Group, type GroupOptions, type Me } from '../group/Group.ts';
import { PersonalState } from '../group/PersonalState.ts';
import { RECORDS_MAP } from '../group/records.ts';
import { VerifiedCache } from '../group/VerifiedCache.ts';
import { Verifier } from '../group/Verifier.ts';
import {
  checkIdentityKeys,
  createDeviceKeys,
  createIdentity,
  type DeviceKeys,
  type Identity,
  identityFromJSON,
  identityToJSON,
  renameIdentity,
} from '../identity/Identity.ts';
import type { Invite } from '../invite/invite.ts';
import { GroupPresence } from '../presence/GroupPresence.ts';
import { EncryptedDocStore, storedBasis } from '../storage/EncryptedDocStore.ts';
import {
  isQuotaError,
  type StorageAdapter,
  type StorageChunk,
  StorageError,
} from '../storage/StorageAdapter.ts';
import { systemClock } from '../sync/Clock.ts';
import { loadSync } from '../sync/lazy.ts';
import type { Mailbox } from '../sync/Mailbox.ts';
import type { SyncStatus } from '../sync/syncStatus.ts';
import type { Transport } from '../sync/Transport.ts';
import { Emitter } from '../util/Emitter.ts';
import { mark } from '../util/marks.ts';
import type { DeviceSync } from './deviceSync.ts';
import { EpochFollower, type MembershipState } from './EpochFollower.ts';
import {
  buildFirstScreen,
  type FirstScreen,
  openFirstScreen,
  sealFirstScreen,
} from './firstScreen.ts';
import type { GroupProof } from './groupProof.ts';
import { type GroupEntryJSON, parseRegistryRow } from './registryRow.ts';
import {
  docPrefix,
  firstScreenKey,
  GROUPS_PREFIX,
  IDENTITY_KEY,
  notesPrefix,
} from './storageLayout.ts';

/**
 * Groups set aside because another group proved it held their id (Hearth.replaceUnproven):
 * `set-aside/<group>/<time>/entry` and, under the same prefix, their document's rows.
 */
export const SET_ASIDE_PREFIX = ['set-aside'] as const;

export interface HearthEnv {
  readonly storage: StorageAdapter;
  /** Where the app is served, for invite links (e.g. `https://hearth.example`). */
  readonly origin: string;
  /** The relay that serves this app (ws(s)://host/signal), used for new groups. */
  readonly defaultRelay: string;
  mailboxFor(relayUrl: string): Mailbox;
  /** Live transport for one epoch, or undefined where there is none (tests, no WebRTC). */
  transportFor?(args: {
    doc: Y.Doc;
    keys: EpochKeys;
    relays: readonly string[];
    /** Cursors and names of a note's editors, carried only to live peers. */
    awareness?: Awareness;
  }): Promise<Transport | undefined>;
  readonly now?: () => number;
  /**
   * Resolves once what is on screen now has been painted (the app also waits for the page to
   * be idle). Work that changes nothing there (starting an opened group's sync, checking the
   * identity's keys) waits for it, so it never delays a screen. Default: at once.
   */
  afterPaint?(): Promise<void>;
}

/** A group this device belongs to, as kept in the device's registry. */
export interface GroupEntry {
  readonly groupId: GroupId;
  readonly name: string;
  readonly groupKey: GroupKey;
  readonly relays: readonly string[];
  readonly joinedAt: number;
  readonly inviterName?: string;
  /** The key of the newest epoch this device moved to, when it is not `groupKey`. */
  readonly epochKey?: GroupKey;
}

export type HearthServiceErrorCode = 'no-identity' | 'unknown-group' | 'offline';

/** The Hearth service was asked for something this device does not have (yet). */
export class HearthServiceError extends HearthError<HearthServiceErrorCode> {
  override readonly name = 'HearthServiceError';
  constructor(code: HearthServiceErrorCode, message: string, detail?: string) {
    super(code, message, { detail });
  }
}

/** How a group's runtime starts when Hearth already read its rows for a first screen. */
export interface RuntimeStart {
  /** The document's stored rows, read once for both. */
  readonly firstRead?: () => Promise<StorageChunk[]> | undefined;
  /** The document is opened only after this (a kept first screen is painted first). */
  readonly after?: Promise<unknown>;
}

/** Doc changes are folded into the kept first screen this long after the last one. */
const FIRST_SCREEN_DELAY_MS = 3000;

/** One open group: its document, model, local store and sync. */
export class GroupRuntime {
  readonly ready: Promise<void>;
  #firstScreenBasis: string | undefined;
  #firstScreenTimer: unknown;
  #firstScreenWrite: Promise<void> = Promise.resolve();
  readonly #storage: StorageAdapter;

  private constructor(
    readonly entry: GroupEntry,
    readonly group: Group,
    readonly features: GroupFeatures,
    readonly store: EncryptedDocStore,
    /** Half-written posts of this group, sealed on this device. */
    readonly drafts: Drafts,
    /** The key epoch this device syncs in, and moving on to the next (EpochFollower.ts). */
    readonly epochs: EpochFollower,
    /** Who is online now and when others were last seen (never in the document). */
    readonly presence: GroupPresence,
    started: Promise<void>,
    /** The group's notes' own documents, opened on demand (features/notes/NoteDocs.ts). */
    readonly notes: NoteDocs,
    storage: StorageAdapter,
  ) {
    this.ready = started;
    this.#storage = storage;
    group.onChange(() => this.#rememberSoon());
    void started.then(
      () => this.#rememberSoon(),
      () => undefined,
    );
  }

  #rememberSoon(): void {
    if (this.#firstScreenTimer !== undefined) return; // pending, or closed
    this.#firstScreenTimer = systemClock.setTimeout(() => {
      this.#firstScreenTimer = undefined;
      void this.rememberFirstScreen();
    }, FIRST_SCREEN_DELAY_MS);
  }

  /**
   * Keeps what the group's first screens show now (hearth/firstScreen.ts), sealed on this
   * device and named by the stored state it was built from, once what the document holds
   * is stored. Failures only cost the next start its head start.
   */
  rememberFirstScreen(): Promise<void> {
    this.#firstScreenWrite = this.#firstScreenWrite.then(async () => {
      try {
        await this.store.flush();
        const basis = this.store.basis();
        if (basis === this.#firstScreenBasis) return;
        const screen = await buildFirstScreen(this.group, this.features);
        const sealer = localSealer(deriveEpochKeys(this.entry.groupKey).storeKey);
        const sealed = await sealFirstScreen(sealer, this.entry.groupId, basis, screen);
        // Rows stored meanwhile (another tab, compaction) would not match it: try again later.
        if (this.store.basis() !== basis) return this.#rememberSoon();
        await this.#storage.save(firstScreenKey(this.entry.groupId), sealed);
        this.#firstScreenBasis = basis;
      } catch {
        // Kept screens are a head start only; the document itself is stored.
      }
    });
    return this.#firstScreenWrite;
  }

  /** @internal */
  static async open(
    env: HearthEnv,
    entry: GroupEntry,
    groupOptions:
      | Pick<GroupOptions, 'verifier' | 'seen'>
      | Promise<Pick<GroupOptions, 'verifier' | 'seen'>> = {},
    me: () => Me | null = () => null,
    onKey?: (key: GroupKey) => void,
    start: RuntimeStart = {},
  ): Promise<GroupRuntime> {
    const keys = deriveEpochKeys(entry.groupKey);
    const doc = new Y.Doc();
    await start.after;
    const firstRead = start.firstRead?.();
    const store = new EncryptedDocStore(
      env.storage,
      entry.groupId,
      keys.storeKey,
      firstRead ? { firstRead } : {},
    );
    // The document is read while the options are still being worked out.
    const [, options] = await Promise.all([store.attach(doc), groupOptions]);
    const group = Group.open(doc, {
      groupId: entry.groupId,
      kinds: FEATURE_KINDS,
      ...options,
      ...(env.now ? { clock: env.now } : {}),
    });
    mark('doc-folded');
    const relay = entry.relays[0] ?? env.defaultRelay;
    const features = featuresOf(group);
    const epochs = new EpochFollower(
      {
        group,
        membership: features.membership,
        devices: features.devices,
        entryKey: entry.groupKey,
        me,
        storage: env.storage,
        mailbox: env.mailboxFor(relay),
        relays: entry.relays.length ? entry.relays : [relay],
        ignoreOrigins: [store],
        beforeCursorCommit: () => store.flush(),
        ...(env.transportFor ? { transportFor: env.transportFor.bind(env) } : {}),
        ...(onKey ? { onKey } : {}),
      },
      entry.epochKey ?? entry.groupKey,
    );
    const started = (async () => {
      await env.afterPaint?.();
      await epochs.start();
    })();
    const drafts = new Drafts(env.storage, entry.groupId, keys.storeKey);
    const notes = new NoteDocs({
      groupId: entry.groupId,
      storage: env.storage,
      mailbox: env.mailboxFor(relay),
      relays: entry.relays.length ? entry.relays : [relay],
      localKey: entry.groupKey,
      epochKey: () => epochs.keys.groupKey,
      ...(env.afterPaint ? { afterPaint: env.afterPaint.bind(env) } : {}),
      ...(env.transportFor ? { transportFor: env.transportFor.bind(env) } : {}),
    });
    features.notes.textOf = (id) => notes.textOf(id);
    const presence = new GroupPresence({
      groupId: entry.groupId,
      channel: () => epochs.presence,
      onChannelChange: (cb) => epochs.onStatus(cb),
      me,
      isMember: (id) => features.membership.remaining().includes(id as MemberId),
      storage: env.storage,
    });
    return new GroupRuntime(
      entry,
      group,
      features,
      store,
      drafts,
      epochs,
      presence,
      started,
      notes,
      env.storage,
    );
  }

  /** The keys of the epoch this device syncs in now. */
  get keys(): EpochKeys {
    return this.epochs.keys;
  }

  get status(): SyncStatus | undefined {
    return this.epochs.status;
  }

  onStatus(cb: (s: SyncStatus | undefined) => void): () => void {
    return this.epochs.onStatus(cb);
  }

  /** This device's place in the group: a member, removed, left, or left behind by a new key. */
  get membershipState(): MembershipState {
    return this.epochs.state;
  }

  /** Asks the relay for anything new (on start, focus, coming online, reconnecting). */
  async pullNow(): Promise<void> {
    await this.ready.catch(() => undefined);
    await Promise.all([this.epochs.pullNow(), this.notes.pullAll()]);
  }

  /** Writes what is pending to the local store and tries to upload it. */
  async flush(): Promise<void> {
    await this.store.flush();
    await Promise.all([this.epochs.flush(), this.notes.flushAll()]);
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    systemClock.clearTimeout(this.#firstScreenTimer);
    this.#firstScreenTimer = undefined;
    await this.rememberFirstScreen();
    systemClock.clearTimeout(this.#firstScreenTimer);
    this.#firstScreenTimer = 'closed';
    await this.presence.close();
    await this.epochs.close();
    await this.notes.close();
    await this.store.detach();
    this.group.destroy();
  }
}

export class Hearth {
  #identity: Identity | null;
  readonly #entries: Map<GroupId, GroupEntry>;
  readonly #runtimes = new Map<GroupId, Promise<GroupRuntime>>();
  /** First screens handed out while their group opens, and the document reads they shared. */
  readonly #firstScreens = new Map<GroupId, Promise<FirstScreen | undefined>>();
  readonly #firstReads = new Map<GroupId, Promise<StorageChunk[]>>();
  /** The same runtimes once open, for synchronous reads (membershipOf). */
  readonly #opened = new Map<GroupId, GroupRuntime>();
  readonly #listeners = new Emitter<void>();
  readonly #storageErrors = new Emitter<StorageError>();
  #personal: { state: PersonalState; store: EncryptedDocStore } | null = null;
  /** One signature checker for every group, remembering good checks across sessions. */
  #verified: Promise<{ verifier: Verifier; cache: VerifiedCache }> | undefined;
  #identityChecked: Promise<void> = Promise.resolve();
  /** The member's channel to their other devices (deviceSync.ts), once this device has keys. */
  #deviceSync: Promise<DeviceSync | null> | null = null;

  private constructor(
    readonly env: HearthEnv,
    identity: Identity | null,
    entries: Map<GroupId, GroupEntry>,
  ) {
    this.#identity = identity;
    this.#entries = entries;
  }

  /** Loads the device's identity and group list from storage. */
  static async load(env: HearthEnv): Promise<Hearth> {
    // The reads go out together; the identity's keys are checked after the first paint.
    const identityRead = env.storage
      .load(IDENTITY_KEY)
      .then((raw) =>
        raw ? identityFromJSON(JSON.parse(fromUtf8(raw)), { checkKeys: false }) : null,
      );
    const personalRead = identityRead.then((identity) =>
      identity ? openPersonal(env.storage, identity) : null,
    );
    const entriesRead = env.storage.loadRange(GROUPS_PREFIX).then((rows) => {
      const entries = new Map<GroupId, GroupEntry>();
      for (const { data } of rows) {
        const entry = entryFromJSON(data);
        if (entry) entries.set(entry.groupId, entry);
      }
      return entries;
    });
    const [identity, personal, entries] = await Promise.all([
      identityRead,
      personalRead,
      entriesRead,
    ]);
    const hearth = new Hearth(env, identity, entries);
    hearth.#personal = personal;
    if (identity) {
      hearth.#identityChecked = Promise.resolve(env.afterPaint?.()).then(() =>
        checkIdentityKeys(identity),
      );
      if (identity.device) {
        void hearth.#identityChecked.then(() => hearth.#startDeviceSync()).catch(() => undefined);
      }
    }
    return hearth;
  }

  /**
   * Settles once the stored identity's keys have been checked, just after the first paint.
   * It rejects with an IdentityError when they are damaged: the app cannot go on with them.
   */
  get identityChecked(): Promise<void> {
    return this.#identityChecked;
  }

  get identity(): Identity | null {
    return this.#identity;
  }

  /** The signed-in member, or a typed error for screens reached before set-up. */
  get me(): Identity {
    if (!this.#identity) {
      throw new HearthServiceError('no-identity', 'Choose a display name first.');
    }
    return this.#identity;
  }

  get personal(): PersonalState | null {
    return this.#personal?.state ?? null;
  }

  /** Creates this device's member (first run). */
  async setUp(name: string): Promise<Identity> {
    const identity = createIdentity(name, this.#now());
    await this.env.storage.save(IDENTITY_KEY, utf8(JSON.stringify(identityToJSON(identity))));
    this.#identity = identity;
    await this.#openPersonal(identity);
    this.#emit();
    return identity;
  }

  async rename(name: string): Promise<void> {
    const next = renameIdentity(this.me, name);
    await this.#saveIdentity(next);
    for (const rt of await this.openAll()) rt.group.join(next);
    this.#emit();
  }

  async #saveIdentity(next: Identity): Promise<void> {
    await this.env.storage.save(IDENTITY_KEY, utf8(JSON.stringify(identityToJSON(next))));
    this.#identity = next;
  }

  /**
   * This device's own keys (features/devices), made and saved the first time the member links
   * another device; its device record is then written into every group it is in.
   */
  async thisDevice(label: string): Promise<DeviceKeys> {
    const me = this.me;
    if (me.device) return me.device;
    const device = createDeviceKeys(label);
    await this.#saveIdentity({ ...me, device });
    void this.#startDeviceSync();
    this.#emit();
    return device;
  }

  /**
   * The member's channel to their other devices: opened once this device has device keys,
   * then told of every group (deviceSync.ts). Resolves to null on a device never linked.
   */
  #startDeviceSync(): Promise<DeviceSync | null> {
    // Loaded on first use: a device never linked does not carry it.
    this.#deviceSync ??= import('./deviceSync.ts')
      .then(({ DeviceSync }) =>
        DeviceSync.open({
          storage: this.env.storage,
          mailbox: this.env.mailboxFor(this.env.defaultRelay),
          now: () => this.#now(),
          me: () => this.me,
          entries: () =>
            this.groups().map((e) => ({
              groupId: e.groupId,
              joinedAt: e.joinedAt,
              json: JSON.parse(fromUtf8(entryToJSON(e))) as unknown,
            })),
          deviceViews: async () =>
            (await this.openAll()).flatMap((rt) => rt.features.devices.of(this.me.id)),
          adopt: async (json) => {
            const entry = entryFromJSON(utf8(JSON.stringify(json)));
            if (!entry || this.#entries.has(entry.groupId)) return false;
            await this.#saveEntry(entry);
            return true;
          },
          forget: async (groupId) => {
            const entry = this.#entries.get(groupId as GroupId);
            if (entry) await this.#forgetLocal(entry, await this.open(groupId));
          },
        }),
      )
      .then(
        async (sync) => {
          await sync?.pull().catch(() => undefined);
          await sync?.reconcile();
          return sync;
        },
        (e: unknown) => {
          // Tried again on the next pull rather than failing for good.
          this.#deviceSync = null;
          throw e;
        },
      );
    return this.#deviceSync;
  }

  /** After creating or joining: the member's other devices get the group too. */
  async #shareWithDevices(rt: GroupRuntime): Promise<void> {
    const me = this.me;
    if (!me.device) return;
    const sync = await this.#startDeviceSync().catch(() => null);
    if (!sync) return;
    // Their device records go in first, so that the group's next key reaches them as well.
    for (const p of await sync.peers()) {
      this.#recordDeviceIn(rt, { id: p.device, label: p.label, box: { publicKey: p.boxKey } });
    }
    await rt.store.flush();
    await sync.joined(rt.entry.groupId).catch(() => undefined);
  }

  /** Writes a device record of the member into every group (the link of `device`). */
  async recordDevice(device: DeviceKeys): Promise<void> {
    for (const rt of await this.openAll()) {
      this.#recordDeviceIn(rt, device);
      await rt.store.flush();
    }
  }

  #recordDeviceIn(
    rt: GroupRuntime,
    device: Pick<DeviceKeys, 'id' | 'label'> & { box: Pick<DeviceKeys['box'], 'publicKey'> },
  ): void {
    const me = this.me;
    const known = rt.features.devices.of(me.id).some((d) => d.device === device.id);
    if (!known && rt.group.isMember(me.id)) {
      writeDevice(rt.group, me, {
        device: device.id,
        boxKey: device.box.publicKey,
        label: device.label,
      });
    }
  }

  /**
   * Calls `cb` when saving on this device fails in the background (a group's changes could
   * not be stored: the device is out of space, say). What was already saved is untouched and
   * the change is kept in memory to be saved again.
   */
  onStorageError(cb: (e: StorageError) => void): () => void {
    return this.#storageErrors.on(cb);
  }

  #reportStorage(e: unknown): void {
    const err =
      e instanceof StorageError
        ? e
        : new StorageError(isQuotaError(e) ? 'quota' : 'failed', undefined, { cause: e });
    this.#storageErrors.emit(err);
  }

  /** Groups on this device, oldest joined first. */
  groups(): GroupEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.joinedAt - b.joinedAt);
  }

  entry(groupId: string): GroupEntry | undefined {
    return this.#entries.get(groupId as GroupId);
  }

  onChange(cb: () => void): () => void {
    return this.#listeners.on(cb);
  }

  async createGroup(name: string): Promise<GroupRuntime> {
    const me = this.me;
    // The id is derived from this member's key and a nonce, which the origin record carries,
    // so the group's document proves which group it is (features/origin, groupProof.ts).
    const { groupId, nonce } = newGroupId(me.id);
    const groupKey = generateGroupKey();
    // validates the name and builds the first state
    const draft = Group.create({ name, me, groupId, kinds: FEATURE_KINDS });
    writeOrigin(draft, me, nonce, deriveRoomId(groupKey));
    const entry: GroupEntry = {
      groupId: draft.id,
      name: draft.info().name,
      groupKey,
      relays: [this.env.defaultRelay],
      joinedAt: this.#now(),
    };
    const initial = Y.encodeStateAsUpdate(draft.doc);
    draft.destroy();
    await this.#saveEntry(entry);
    const rt = await this.open(entry.groupId);
    Y.applyUpdate(rt.group.doc, initial);
    if (me.device) this.#recordDeviceIn(rt, me.device);
    await rt.store.flush();
    await this.#shareWithDevices(rt);
    return rt;
  }

  /** Joins the group of an invite; a group already joined is simply opened. */
  async join(invite: Invite): Promise<GroupRuntime> {
    const me = this.me;
    if (!this.#entries.has(invite.groupId)) {
      await this.#saveEntry({
        groupId: invite.groupId,
        name: invite.groupName,
        groupKey: invite.groupKey,
        relays: invite.relays.length ? [...invite.relays] : [this.env.defaultRelay],
        joinedAt: this.#now(),
        inviterName: invite.inviterName,
      });
    }
    const rt = await this.open(invite.groupId);
    const fresh = !rt.group.isMember(me.id);
    if (fresh) rt.group.join(me, invite.inviterId);
    if (me.device) this.#recordDeviceIn(rt, me.device);
    await rt.store.flush();
    if (fresh) await this.#shareWithDevices(rt);
    return rt;
  }

  /**
   * Whether the group's document, as this device holds it now, proves the group's id and the
   * key this device holds (groupProof.ts). Groups made before ids were derived never do.
   */
  async proof(groupId: string): Promise<GroupProof> {
    const rt = await this.open(groupId);
    // The join key, the newest epoch key kept, and the key the device syncs with now.
    const keys = [rt.entry.groupKey, this.entry(groupId)?.epochKey, rt.keys.groupKey];
    const { proveGroup } = await import('./groupProof.ts');
    return proveGroup(
      rt.group,
      rt.features,
      keys.filter((k): k is GroupKey => k !== undefined),
    );
  }

  /**
   * An invitation names a group this device holds, with another key. When the group held here
   * does not prove its id even after pulling what its relay has, while the invitation's own
   * group does (read into a holding area first, never stored), the held one is set aside and
   * true is returned: the caller then joins afresh. A group that proves its id is never
   * replaced, and nothing is changed when the invitation's group proves nothing either.
   */
  async replaceUnproven(invite: Invite): Promise<boolean> {
    const entry = this.entry(invite.groupId);
    if (!entry) return false;
    const rt = await this.open(invite.groupId);
    await rt.ready.catch(() => undefined);
    await rt.pullNow().catch(() => undefined);
    if ((await this.proof(invite.groupId)) === 'proven') return false;
    const relay = invite.relays[0] ?? this.env.defaultRelay;
    const verified = await this.#verifiedOnce();
    const { probeGroup } = await import('./groupProof.ts');
    const offered = await probeGroup({
      groupId: entry.groupId,
      key: invite.groupKey,
      mailbox: this.env.mailboxFor(relay),
      verifier: verified.verifier,
    });
    if (offered !== 'proven') return false;
    await this.#setAside(entry);
    return true;
  }

  /**
   * Takes a group off this device's list without deleting anything: its registry row and its
   * document's rows (still sealed under its own key) move under `set-aside/<group>/<time>`.
   */
  async #setAside(entry: GroupEntry): Promise<void> {
    const id = entry.groupId;
    const rt = await this.#runtimes.get(id)?.catch(() => undefined);
    if (rt) await rt.close();
    this.#runtimes.delete(id);
    this.#opened.delete(id);
    const storage = this.env.storage;
    const base = [...SET_ASIDE_PREFIX, id, String(this.#now())];
    const rows = [
      ...(await storage.loadRange(docPrefix(id))),
      ...(await storage.loadRange(notesPrefix(id))),
    ];
    // All at once: a crash leaves the group either where it was or set aside, never lost.
    await storage.batch([
      { op: 'save', key: [...base, 'entry'], data: entryToJSON(entry) },
      ...rows.map(({ key, data }) => ({ op: 'save' as const, key: [...base, ...key], data })),
      { op: 'removeRange', prefix: docPrefix(id) },
      { op: 'remove', key: firstScreenKey(id) },
      { op: 'removeRange', prefix: notesPrefix(id) },
      { op: 'removeRange', prefix: ['drafts', id] },
      { op: 'remove', key: [...GROUPS_PREFIX, id] },
    ]);
    // Its upload queue and cursors go: what it held is in the rows kept above.
    const rooms = new Set<string>([deriveRoomId(entry.groupKey)]);
    if (entry.epochKey) rooms.add(deriveRoomId(entry.epochKey));
    const { MailboxSync } = await loadSync();
    for (const room of rooms) await MailboxSync.forget(storage, room);
    this.#entries.delete(id);
    this.#emit();
  }

  #verifiedOnce(): Promise<{ verifier: Verifier; cache: VerifiedCache }> {
    this.#verified ??= VerifiedCache.load(this.env.storage).then((cache) => ({
      cache,
      verifier: new Verifier(undefined, cache),
    }));
    return this.#verified;
  }

  async inviteLink(groupId: string): Promise<string> {
    const rt = this.#requireEntry(groupId);
    const { createInvite } = await import('../invite/invite.ts');
    return createInvite({
      groupKey: rt.epochKey ?? rt.groupKey,
      groupId: rt.groupId,
      groupName: rt.name,
      inviterName: this.me.name,
      inviterId: this.me.id,
      relays: rt.relays,
      origin: this.env.origin,
    });
  }

  /**
   * The group's first screens as this device last showed them (hearth/firstScreen.ts), to
   * paint while the group opens: undefined when none is kept, it does not open or does not
   * match what is stored, or the group is open (or opening without one) already. Once one is
   * handed out, opening the group applies its document only after the next paint.
   */
  firstScreen(groupId: string): Promise<FirstScreen | undefined> {
    const entry = this.#entries.get(groupId as GroupId);
    if (!entry) return Promise.resolve(undefined);
    const id = entry.groupId;
    let shown = this.#firstScreens.get(id);
    if (!shown) {
      if (this.#runtimes.has(id)) return Promise.resolve(undefined);
      const storage = this.env.storage;
      const prefix = docPrefix(id);
      shown = (async () => {
        const sealed = await storage.load(firstScreenKey(id));
        if (!sealed) return undefined;
        // Naming the stored rows needs only their keys, not the document's megabytes; a store
        // that cannot list keys alone reads the rows once for this and the group's opening.
        let keys = await storage.loadKeys?.(prefix);
        if (!keys) {
          const rows = storage.loadRange(prefix);
          rows.catch(() => undefined);
          this.#firstReads.set(id, rows);
          keys = (await rows).map((c) => c.key);
        }
        const basis = storedBasis(prefix, keys);
        const sealer = localSealer(deriveEpochKeys(entry.groupKey).storeKey);
        return openFirstScreen(sealer, id, basis, sealed);
      })().catch(() => undefined);
      this.#firstScreens.set(id, shown);
    }
    return shown;
  }

  /** Opens a group once; later calls share the same runtime. */
  open(groupId: string): Promise<GroupRuntime> {
    const entry = this.#requireEntry(groupId);
    let rt = this.#runtimes.get(entry.groupId);
    if (!rt) {
      const shown = this.#firstScreens.get(entry.groupId);
      const start: RuntimeStart = {
        firstRead: () => {
          const rows = this.#firstReads.get(entry.groupId);
          this.#firstReads.delete(entry.groupId);
          return rows;
        },
        ...(shown ? { after: shown.then((s) => (s ? this.env.afterPaint?.() : undefined)) } : {}),
      };
      const options = this.#verifiedOnce().then(({ verifier }) => ({
        verifier,
        ...(this.#personal ? { seen: this.#personal.state.seenTimes(entry.groupId) } : {}),
      }));
      const onKey = (key: GroupKey): void => void this.#keepEpochKey(entry.groupId, key);
      rt = GroupRuntime.open(this.env, entry, options, () => this.#identity, onKey, start);
      rt = rt.then((r) => {
        this.#firstScreens.delete(entry.groupId);
        this.#opened.set(entry.groupId, r);
        r.store.onError((e) => this.#reportStorage(e));
        r.epochs.onState(() => this.#emit());
        r.group.onChange((c) => {
          if (c.info) void this.#refreshName(r);
        });
        void this.#refreshName(r);
        return r;
      });
      rt.catch(() => this.#runtimes.delete(entry.groupId));
      this.#runtimes.set(entry.groupId, rt);
    }
    return rt;
  }

  openAll(): Promise<GroupRuntime[]> {
    return Promise.all(this.groups().map((g) => this.open(g.groupId)));
  }

  /**
   * Copies a post into another of this member's groups, attributed to its author and origin,
   * and saves the copy on this device before answering.
   */
  async sharePost(fromGroupId: string, postId: string, toGroupId: string): Promise<string> {
    const [from, to] = await Promise.all([this.open(fromGroupId), this.open(toGroupId)]);
    const id = sharePost(from.features.posts, postId, to.features.posts, this.me);
    await to.store.flush();
    return id;
  }

  async markRead(groupId: string, parentId: string, at: number, lastId?: string): Promise<void> {
    if (!this.#personal) return;
    this.#personal.state.markRead(groupId as GroupId, parentId, at, lastId);
    await this.#personal.store.flush();
  }

  /** Asks the relay for anything new in every open group and from the member's other devices. */
  pullAll(): Promise<void> {
    return Promise.all([
      ...[...this.#runtimes.values()].map((p) => p.then((r) => r.pullNow())),
      this.#identity?.device
        ? this.#startDeviceSync()
            .then((s) => s?.pull())
            .catch(() => undefined)
        : undefined,
    ]).then(() => undefined);
  }

  flushAll(): Promise<void> {
    const personal = this.#personal?.store.flush() ?? Promise.resolve();
    return Promise.all([
      personal,
      ...[...this.#runtimes.values()].map((p) => p.then((r) => r.flush())),
      this.#verified?.then((v) => v.cache.flush()),
      this.#deviceSync?.then((s) => s?.flush()).catch(() => undefined),
    ]).then(() => undefined);
  }

  async close(): Promise<void> {
    await (await this.#deviceSync?.catch(() => null))?.close();
    const all = await Promise.all(this.#runtimes.values());
    await Promise.all(all.map((r) => r.close()));
    this.#runtimes.clear();
    await (await this.#verified)?.cache.flush();
    await this.#personal?.store.detach();
  }

  async #openPersonal(identity: Identity): Promise<void> {
    this.#personal = await openPersonal(this.env.storage, identity);
  }

  /** What this device's place in a group is (member, removed, left, left behind). */
  membershipOf(groupId: string): MembershipState | undefined {
    return this.#opened.get(groupId as GroupId)?.membershipState;
  }

  /**
   * An admin removes a member: a new key epoch without them starts at once, and the remaining
   * members' devices follow it. `reason` is shown to everyone, the removed member included.
   */
  async removeMember(groupId: string, memberId: string, reason?: string): Promise<void> {
    const rt = await this.open(groupId);
    await rt.ready;
    await rt.epochs.remove(this.me, [memberId as MemberId], reason);
    await rt.flush();
  }

  /**
   * Everything this device holds of a group, as signed records in JSON (each can be checked
   * against its author's key): what to keep before leaving.
   */
  async exportGroup(groupId: string): Promise<string> {
    const rt = await this.open(groupId);
    const records = [...rt.group.doc.getMap(RECORDS_MAP).values()];
    return JSON.stringify(
      {
        format: 'hearth-export/v1',
        groupId: rt.entry.groupId,
        name: rt.group.info().name,
        exportedAt: this.#now(),
        members: rt.group.members().map((m) => ({ id: m.id, name: m.name })),
        records,
      },
      null,
      1,
    );
  }

  /**
   * Leaves a group: says so in a signed record (the others then start a new key epoch
   * without this member), sends it if the relay can be reached, then deletes everything this
   * device kept of the group.
   */
  async leaveGroup(groupId: string): Promise<void> {
    const entry = this.#requireEntry(groupId);
    const rt = await this.open(groupId);
    await rt.ready;
    // The others learn of it only through the relay or a live peer, and this device's copy is
    // deleted right after: leave only while the relay answers.
    await rt.pullNow();
    if (rt.status?.relay !== 'reachable') {
      throw new HearthServiceError(
        'offline',
        'Leaving needs a connection, so that the others learn that you left. Nothing was changed; try again when you are online.',
        `relay is ${rt.status?.relay ?? 'not started'}`,
      );
    }
    writeLeave(rt.group, this.me);
    await rt.flush().catch(() => undefined);
    // The member's other devices delete their copy too.
    await (await this.#deviceSync?.catch(() => null))?.left(entry.groupId).catch(() => undefined);
    await this.#forgetLocal(entry, rt);
  }

  /** Deletes everything this device kept of a group (after the member left it). */
  async #forgetLocal(entry: GroupEntry, rt: GroupRuntime): Promise<void> {
    const rooms = new Set<string>([deriveEpochKeys(entry.groupKey).roomId, rt.keys.roomId]);
    for (const r of rt.features.membership.fold().chain) rooms.add(r.room);
    await rt.close();
    this.#runtimes.delete(entry.groupId);
    this.#opened.delete(entry.groupId);
    await this.env.storage.removeRange(docPrefix(entry.groupId));
    await this.env.storage.remove(firstScreenKey(entry.groupId));
    await this.env.storage.removeRange(notesPrefix(entry.groupId));
    await this.env.storage.removeRange(['drafts', entry.groupId]);
    const { MailboxSync } = await loadSync();
    for (const room of rooms) await MailboxSync.forget(this.env.storage, room);
    await this.env.storage.remove([...GROUPS_PREFIX, entry.groupId]);
    this.#entries.delete(entry.groupId);
    this.#emit();
  }

  async #keepEpochKey(groupId: GroupId, key: GroupKey): Promise<void> {
    const entry = this.#entries.get(groupId);
    if (!entry) return;
    const same = (a: GroupKey | undefined) => a !== undefined && bytesEqual(a, key);
    if (same(entry.epochKey) || (entry.epochKey === undefined && same(entry.groupKey))) return;
    await this.#saveEntry({ ...entry, epochKey: key });
  }

  async #refreshName(rt: GroupRuntime): Promise<void> {
    const info = rt.group.info();
    const entry = this.#entries.get(rt.entry.groupId);
    // Before the group's first signed name arrives (a fresh join) its name is not known yet.
    if (!entry || info.createdBy === undefined || info.name === entry.name) return;
    const name = info.name;
    await this.#saveEntry({ ...entry, name });
  }

  async #saveEntry(entry: GroupEntry): Promise<void> {
    await this.env.storage.save([...GROUPS_PREFIX, entry.groupId], entryToJSON(entry));
    this.#entries.set(entry.groupId, entry);
    this.#emit();
  }

  #requireEntry(groupId: string): GroupEntry {
    const entry = this.#entries.get(groupId as GroupId);
    if (!entry) {
      throw new HearthServiceError(
        'unknown-group',
        'This device is not in that group. Ask a member for an invite link.',
        `no entry for group ${groupId}`,
      );
    }
    return entry;
  }

  #now(): number {
    return this.env.now ? this.env.now() : Date.now();
  }

  #emit(): void {
    this.#listeners.emit();
  }
}

async function openPersonal(
  storage: StorageAdapter,
  identity: Identity,
): Promise<{ state: PersonalState; store: EncryptedDocStore }> {
  const store = new EncryptedDocStore(
    storage,
    `personal-${identity.id}` as GroupId,
    personalStoreKey(identity),
  );
  const doc = new Y.Doc();
  await store.attach(doc);
  return { state: PersonalState.open(doc), store };
}

/** Read markers are sealed under a key only this member's devices can derive. */
function personalStoreKey(identity: Identity): StoreKey {
  const seed = identity.signing.secretKey.subarray(0, 32);
  return nacl.hash(concatBytes(utf8('hearth/personal/v1'), seed)).slice(0, 32) as StoreKey;
}

function entryToJSON(e: GroupEntry): Uint8Array {
  const json: GroupEntryJSON = {
    v: 1,
    groupId: e.groupId,
    name: e.name,
    groupKey: groupKeyToText(e.groupKey),
    relays: [...e.relays],
    joinedAt: e.joinedAt,
    ...(e.inviterName !== undefined ? { inviterName: e.inviterName } : {}),
    ...(e.epochKey !== undefined ? { epochKey: groupKeyToText(e.epochKey) } : {}),
  };
  return utf8(JSON.stringify(json));
}

/** A damaged registry row is skipped rather than taking every other group down with it. */
function entryFromJSON(data: Uint8Array): GroupEntry | null {
  const j = parseRegistryRow(data);
  if (!j) return null;
  try {
    return {
      groupId: j.groupId as GroupId,
      name: j.name,
      groupKey: groupKeyFromText(j.groupKey),
      relays: j.relays,
      joinedAt: j.joinedAt,
      ...(typeof j.inviterName === 'string' ? { inviterName: j.inviterName } : {}),
      ...(typeof j.epochKey === 'string' ? { epochKey: groupKeyFromText(j.epochKey) } : {}),
    };
  } catch {
    return null;
  }
}
