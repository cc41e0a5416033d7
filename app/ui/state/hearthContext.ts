// Bridges the core's plain-object state into Solid: screens get the Hearth service and the
// group handles from context and re-read a group's views when its handle's version moves.
import {
  type Accessor,
  createContext,
  createResource,
  createSignal,
  onCleanup,
  type Resource,
  useContext,
} from 'solid-js';
import type { FirstScreen } from '../../core/hearth/firstScreen.ts';
import type { Hearth } from '../../core/hearth/Hearth.ts';
import type { GroupHandle, GroupHandles } from './GroupHandle.ts';

export const HearthContext = createContext<Hearth>();
export const HandlesContext = createContext<GroupHandles>();

export function useHandles(): GroupHandles {
  const h = useContext(HandlesContext);
  if (!h) throw new Error('HandlesContext is missing');
  return h;
}

export function useHearth(): Hearth {
  const h = useContext(HearthContext);
  if (!h) throw new Error('HearthContext is missing');
  return h;
}

/** A counter that moves whenever the device's identity or group list changes. */
export function useHearthVersion(): Accessor<number> {
  const hearth = useHearth();
  const [version, setVersion] = createSignal(0);
  onCleanup(hearth.onChange(() => setVersion((v) => v + 1)));
  return version;
}

/**
 * The group's first screens as this device last showed them, to paint while it opens
 * (undefined when none is kept or it no longer matches). Ask before useGroup: the group then
 * applies its document after this paints.
 */
export function useFirstScreen(groupId: Accessor<string>): Resource<FirstScreen | undefined> {
  const hearth = useHearth();
  const [screen] = createResource(groupId, (id) => hearth.firstScreen(id));
  return screen;
}

/** The handle of a group: undefined while it opens, null when this device is not in it. */
export function useGroup(groupId: Accessor<string>): Resource<GroupHandle | null> {
  const handles = useHandles();
  const [handle] = createResource(groupId, (id) => handles.open(id));
  return handle;
}

/** Re-renders relative times ("2 min ago") once a minute. */
export function useNow(intervalMs = 30_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const t = setInterval(() => setNow(Date.now()), intervalMs);
  onCleanup(() => clearInterval(t));
  return now;
}
