// Time as an injectable dependency: sync code waits (backoff, batching, polling) through a
// Clock, so tests drive time by hand instead of sleeping, and nothing asserts on timing.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// The core's lib has no timer declarations; every host it runs on (browsers, Node) has them.
const host = globalThis as unknown as {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => host.setTimeout(fn, ms),
  clearTimeout: (handle) => host.clearTimeout(handle),
};
