// The Members tab: who is in the group and who brought them in, this member's own entry
// marked, and the one place to change the name the others see. Each row shows the member's
// key fingerprint (names are not unique) and offers to compare keys in person. Each row, and
// who invited whom, shows the same check as cards do.
import { createMemo, createSignal, createUniqueId, For, Show } from 'solid-js';
import { CompareKeysDialog, KeyFingerprint } from '../components/CompareKeys.tsx';
import { dateFormat } from '../components/dates.ts';
import { LastSeen } from '../components/Presence.tsx';
import { TrustMark, worstTrust } from '../components/TrustMark.tsx';
import { ExportGroup } from '../features/devices/ExportGroup.tsx';
import { MemberDevices } from '../features/devices/MemberDevices.tsx';
import type { TabProps } from '../features/Feature.ts';
import {
  AdminBadge,
  DepartedList,
  departed,
  LeaveGroup,
  MemberAdminActions,
} from '../features/membership/MemberAdmin.tsx';
import { messageFor } from '../state/errors.ts';
import type { Trust } from '../state/GroupHandle.ts';
import { useHearth, useHearthVersion } from '../state/hearthContext.ts';

/** Names that read the same to a person: case, width and spacing variants count as one. */
const nameKey = (name: string): string =>
  name.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();

export function MembersList(props: TabProps) {
  const hearth = useHearth();
  const hearthVersion = useHearthVersion();
  const myName = () => {
    hearthVersion();
    return hearth.identity?.name ?? '';
  };
  const me = () => hearth.identity?.id;
  const members = createMemo(() => {
    const group = props.handle;
    group.version();
    const createdBy = group.info().createdBy;
    const all = group.members().filter((m) => !departed(group, m.id));
    const nameCount = new Map<string, number>();
    for (const m of all) nameCount.set(nameKey(m.name), (nameCount.get(nameKey(m.name)) ?? 0) + 1);
    return all.map((m) => {
      const inviter = m.invitedBy ? group.member(m.invitedBy)?.name : undefined;
      const origin =
        m.id === createdBy
          ? 'started the group'
          : inviter
            ? `invited by ${inviter}`
            : m.id === me() && group.inviterName
              ? `invited by ${group.inviterName}`
              : 'joined';
      const sharesName = (nameCount.get(nameKey(m.name)) ?? 0) > 1;
      const trust = (): Trust => group.trust(m.id, group.memberStatus(m.id));
      // "invited by" is the member's own claim about another member: both records must hold.
      const inviterId = inviter && m.invitedBy;
      const originTrust = (): Trust =>
        inviterId
          ? worstTrust(trust(), group.trust(inviterId, group.memberStatus(inviterId)))
          : trust();
      return { ...m, origin, isMe: m.id === me(), sharesName, trust, originTrust };
    });
  });
  const [comparing, setComparing] = createSignal<{ id: string; name: string } | null>(null);

  const [name, setName] = createSignal(hearth.identity?.name ?? '');
  const [error, setError] = createSignal('');
  const [saved, setSaved] = createSignal('');
  const rename = async (e: Event) => {
    e.preventDefault();
    setError('');
    setSaved('');
    try {
      await hearth.rename(name());
      setName(myName() || name());
      setSaved('Name saved. Members see it the next time their device syncs.');
    } catch (err) {
      setError(messageFor(err, 'Your name could not be saved. Try again.'));
    }
  };

  return (
    <>
      <h2>Members</h2>
      <ul class="list" aria-label="Members">
        <For each={members()}>
          {(m) => {
            const fingerprintId = createUniqueId();
            return (
              <li class="card member" data-trust={m.trust()}>
                <span class="title">
                  {m.name}
                  <Show when={m.isMe}>
                    <span class="you"> (you)</span>
                  </Show>{' '}
                  <TrustMark trust={m.trust()} />
                </span>{' '}
                <AdminBadge handle={props.handle} memberId={m.id} />
                <KeyFingerprint memberId={m.id} id={fingerprintId} />{' '}
                <Show when={m.sharesName}>
                  <span class="same-name">
                    Another member has this name too: tell them apart by the key.
                  </span>{' '}
                </Show>
                <Show when={!m.isMe}>
                  <LastSeen handle={props.handle} memberId={m.id} />{' '}
                </Show>
                <span class="hint" data-trust={m.originTrust()}>
                  {m.origin} · {dateFormat.format(m.joinedAt)}
                  <Show when={m.originTrust() !== m.trust()}>
                    {' '}
                    <TrustMark trust={m.originTrust()} />
                  </Show>
                </span>
                <MemberDevices handle={props.handle} memberId={m.id} isMe={m.isMe} />
                <Show when={!m.isMe && me()}>
                  <div class="member-actions">
                    <button
                      type="button"
                      aria-describedby={fingerprintId}
                      onClick={() => setComparing({ id: m.id, name: m.name })}
                    >
                      Compare keys<span class="visually-hidden"> with {m.name}</span>
                    </button>
                    <MemberAdminActions handle={props.handle} memberId={m.id} name={m.name} />
                  </div>
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
      <DepartedList handle={props.handle} />
      <Show when={me() && comparing()}>
        {(them) => (
          <CompareKeysDialog me={me() as string} them={them()} onClose={() => setComparing(null)} />
        )}
      </Show>
      <section class="card">
        <h3>Your name</h3>
        <form onSubmit={rename}>
          <div class="field">
            <label for="display-name">Your display name</label>
            <input
              id="display-name"
              autocomplete="nickname"
              maxLength={100}
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <p class="hint">This changes your name in every group you are in.</p>
          </div>
          <p class="error" role="alert">
            {error()}
          </p>
          <p role="status">{saved()}</p>
          <button type="submit" disabled={!name().trim() || name().trim() === myName()}>
            Save name
          </button>
        </form>
      </section>
      <ExportGroup handle={props.handle} />
      <LeaveGroup handle={props.handle} />
    </>
  );
}
