// Unread counts are facts the member's own device works out (core's groupUnread, through each
// group's handle): the group documents say what exists, the private PersonalState says what
// this member has read. These helpers tell Solid when either has moved.
import { type Accessor, createEffect, createResource, createSignal, onCleanup } from 'solid-js';
import { showAppBadge } from './badge.ts';
import type { GroupHandle } from './GroupHandle.ts';
import { useHandles, useHearth, useHearthVersion } from './hearthContext.ts';
import { usePaintedIdle } from './painted.ts';

/** A counter that moves whenever this member's read markers change (on any screen). */
export function usePersonalVersion(): Accessor<number> {
  const hearth = useHearth();
  const hearthVersion = useHearthVersion();
  const [version, setVersion] = createSignal(0);
  createEffect(() => {
    hearthVersion();
    const personal = hearth.personal;
    if (!personal) return;
    onCleanup(personal.onChange(() => setVersion((v) => v + 1)));
  });
  return version;
}

/**
 * Every group on this device, opened, with one counter that moves when any of them (or the
 * read markers, or checks of what is on screen) change. Bursts of changes during a sync are
 * folded into one update. Opening them (reading, decrypting, indexing each) waits until the
 * screen that mounted this has been painted and the page is idle: Home lists the groups from
 * the device's registry at once, their counts and feed follow.
 */
export function useAllGroups(): { handles: Accessor<GroupHandle[]>; version: Accessor<number> } {
  const groupHandles = useHandles();
  const hearthVersion = useHearthVersion();
  const personalVersion = usePersonalVersion();
  const [tick, setTick] = createSignal(0);
  let pending: ReturnType<typeof setTimeout> | undefined;
  const bump = (): void => {
    if (pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      setTick((v) => v + 1);
    }, 50);
  };
  onCleanup(() => clearTimeout(pending));
  const painted = usePaintedIdle();
  // A group that fails to open is left out here; its own screen explains the failure.
  const [opened] = createResource(
    () => painted() && hearthVersion() + 1,
    () => groupHandles.all(),
  );
  createEffect(() => {
    const offs = (opened() ?? []).map((h) => h.onUpdate(bump));
    onCleanup(() => {
      for (const off of offs) off();
    });
  });
  const handles = (): GroupHandle[] => opened.latest ?? [];
  const version = (): number => tick() + personalVersion() + handles().length;
  return { handles, version };
}

/** Keeps the app icon's badge equal to the total unread across all groups. */
export function useAppBadge(): void {
  const { handles, version } = useAllGroups();
  createEffect(() => {
    version();
    let total = 0;
    for (const h of handles()) total += h.unread().total;
    void showAppBadge(total);
  });
}
