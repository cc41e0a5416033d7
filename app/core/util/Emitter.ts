// One listener policy for the whole core: every listener is called, one that throws neither
// stops the others nor the emitter, and its error is reported (not swallowed) to `onError`,
// which by default rethrows it asynchronously so it shows up in the console and in tests.

export type Unsubscribe = () => void;

/** Reports a listener's error without disturbing the emitter. */
export const reportAsync = (error: unknown): void => {
  void Promise.reject(error);
};

export class Emitter<T> {
  readonly #listeners = new Set<(value: T) => void>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void = reportAsync) {
    this.#onError = onError;
  }

  /** Calls `cb` on every emit until the returned function is called. */
  on(cb: (value: T) => void): Unsubscribe {
    this.#listeners.add(cb);
    return () => {
      this.#listeners.delete(cb);
    };
  }

  emit(value: T): void {
    for (const cb of [...this.#listeners]) {
      try {
        cb(value);
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/** True when both objects have the same own keys with identical (===) values. */
export function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}
