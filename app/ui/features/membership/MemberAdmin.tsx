// The Members tab's part of roles and departures: who is an admin, an admin's buttons to
// make and unmake admins and to remove a member (confirmed, with an optional reason), who
// left or was removed, and leaving the group (an export offered first).
import { createSignal, createUniqueId, For, Show } from 'solid-js';
import { download } from '../../components/download.ts';
import { href } from '../../router.ts';
import { homeRoute } from '../../screens/routes.ts';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { useHearth } from '../../state/hearthContext.ts';

const isAdmin = (handle: GroupHandle, id: string | undefined): boolean => {
  handle.version();
  return id !== undefined && handle.membership.isAdmin(id);
};

export function AdminBadge(props: { handle: GroupHandle; memberId: string }) {
  return (
    <Show when={isAdmin(props.handle, props.memberId)}>
      <span class="badge admin">Admin</span>{' '}
    </Show>
  );
}

/** True when the member left or was removed. */
export function departed(handle: GroupHandle, id: string): boolean {
  handle.version();
  return handle.membership.departure(id) !== undefined;
}

export function MemberAdminActions(props: { handle: GroupHandle; memberId: string; name: string }) {
  const hearth = useHearth();
  const titleId = createUniqueId();
  let dialog: HTMLDialogElement | undefined;
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const amAdmin = () => isAdmin(props.handle, props.handle.me());
  const theyAdmin = () => isAdmin(props.handle, props.memberId);
  const toggleAdmin = () => {
    setError('');
    try {
      props.handle.membership.setAdmin(props.memberId, !theyAdmin());
    } catch (e) {
      setError(messageFor(e, 'The role could not be changed. Try again.'));
    }
  };
  const remove = async () => {
    setError('');
    setBusy(true);
    try {
      await hearth.removeMember(props.handle.id, props.memberId, reason().trim() || undefined);
      dialog?.close();
    } catch (e) {
      setError(messageFor(e, `${props.name} could not be removed. Try again.`));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show when={amAdmin()}>
      <button type="button" onClick={toggleAdmin}>
        {theyAdmin() ? 'Take admin role away' : 'Make admin'}
        <span class="visually-hidden"> ({props.name})</span>
      </button>
      <button type="button" class="danger" onClick={() => dialog?.showModal()}>
        Remove from group<span class="visually-hidden"> ({props.name})</span>
      </button>
      <dialog ref={dialog} class="confirm" aria-labelledby={titleId}>
        <h3 id={titleId}>Remove {props.name} from the group?</h3>
        <p>
          The group moves to a new key that {props.name} does not get: they will not see anything
          written from now on, and cannot write here. They keep what their device already has.
        </p>
        <div class="field">
          <label for={`${titleId}-reason`}>Reason (optional, everyone sees it)</label>
          <input
            id={`${titleId}-reason`}
            maxLength={500}
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </div>
        <p class="error" role="alert">
          {error()}
        </p>
        <div class="actions">
          <button type="button" class="primary danger-fill" disabled={busy()} onClick={remove}>
            Remove {props.name}
          </button>
          <button type="button" onClick={() => dialog?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
      <Show when={error() && !dialog?.open}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </Show>
  );
}

export function DepartedList(props: { handle: GroupHandle }) {
  const gone = () => {
    props.handle.version();
    return props.handle.members().flatMap((m) => {
      const d = props.handle.membership.departure(m.id);
      if (!d) return [];
      const by = d.by ? props.handle.member(d.by)?.name : undefined;
      const text =
        d.how === 'left'
          ? `${m.name} left`
          : `${m.name} was removed${by ? ` by ${by}` : ''}${d.reason ? `: “${d.reason}”` : ''}`;
      return [{ id: m.id, text }];
    });
  };
  return (
    <Show when={gone().length > 0}>
      <h3>No longer in the group</h3>
      <ul class="list" aria-label="No longer in the group">
        <For each={gone()}>{(g) => <li class="card member departed">{g.text}</li>}</For>
      </ul>
    </Show>
  );
}

export function LeaveGroup(props: { handle: GroupHandle }) {
  const hearth = useHearth();
  const titleId = createUniqueId();
  let dialog: HTMLDialogElement | undefined;
  const [error, setError] = createSignal('');
  const [exported, setExported] = createSignal(false);
  const exportGroup = async () => {
    setError('');
    try {
      const json = await hearth.exportGroup(props.handle.id);
      const name = props.handle.name().replace(/[^\p{L}\p{N} _-]/gu, '') || 'group';
      download(`${name}.hearth.json`, json, 'application/json');
      setExported(true);
    } catch (e) {
      setError(messageFor(e, 'The export could not be made. Try again.'));
    }
  };
  const leave = async () => {
    setError('');
    try {
      await hearth.leaveGroup(props.handle.id);
      dialog?.close();
      location.hash = href(homeRoute);
    } catch (e) {
      setError(messageFor(e, 'You could not leave the group. Try again.'));
    }
  };
  return (
    <section class="card">
      <h3>Leave the group</h3>
      <button type="button" class="danger" onClick={() => dialog?.showModal()}>
        Leave group
      </button>
      <dialog ref={dialog} class="confirm" aria-labelledby={titleId}>
        <h3 id={titleId}>Leave {props.handle.name()}?</h3>
        <p>
          Everything this device keeps of the group is deleted, and the others see that you left.
          Save a copy first if you want to keep it.
        </p>
        <button type="button" onClick={exportGroup}>
          Export a copy first
        </button>
        <Show when={exported()}>
          <p role="status">The copy was saved to your downloads.</p>
        </Show>
        <p class="error" role="alert">
          {error()}
        </p>
        <div class="actions">
          <button type="button" class="primary danger-fill" onClick={leave}>
            Leave and delete
          </button>
          <button type="button" onClick={() => dialog?.close()}>
            Stay
          </button>
        </div>
      </dialog>
    </section>
  );
}
