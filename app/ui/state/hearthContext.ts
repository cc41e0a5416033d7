// Bridges the core's plain-object state into Solid: screens get the Hearth service from
// context and re-read a group's views when its change counter moves.
import {
  type Accessor,
  createContext,
  createResource,
  createSignal,
  onCleanup,
  useContext,
} from 'solid-js';
import type { GroupRuntime, Hearth } from '../../core/hearth/Hearth.ts';
import type { SyncStatus } from '../../core/sync/SyncSession.ts';

export const HearthContext = createContext<Hearth>();

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

/** Opens a group and tracks it: `version` moves on every change to its document. */
export function useGroup(groupId: Accessor<string>) {
  const hearth = useHearth();
  const [version, setVersion] = createSignal(0);
  const [status, setStatus] = createSignal<SyncStatus | undefined>(undefined, { equals: false });
  let stop: (() => void) | undefined;
  const [runtime] = createResource(groupId, async (id): Promise<GroupRuntime | null> => {
    stop?.();
    if (!hearth.entry(id)) return null;
    const rt = await hearth.open(id);
    const offChange = rt.group.onChange(() => setVersion((v) => v + 1));
    const offStatus = rt.onStatus((s) => setStatus(s));
    setStatus(rt.status);
    stop = () => {
      offChange();
      offStatus();
    };
    return rt;
  });
  onCleanup(() => stop?.());
  return { runtime, version, status };
}

/** Re-renders relative times ("2 min ago") once a minute. */
export function useNow(intervalMs = 30_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const t = setInterval(() => setNow(Date.now()), intervalMs);
  onCleanup(() => clearInterval(t));
  return now;
}
