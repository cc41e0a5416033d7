// Settings' "About this app": which build of Hearth runs here (its build hash, written in at
// build time: scripts/buildHash.ts), where it came from, and how updates arrive. The relay
// that serves the app could serve a different one; the hash is how a member tells.
import { Show } from 'solid-js';
import { updateReady } from '../serviceWorker.ts';

/** The 64 hex digits the build wrote over the placeholder; all zeros in development. */
const hash = /[0-9a-f]{64}/.exec(__HEARTH_BUILD_STAMP__)?.[0] ?? '';
const stamped = /[1-9a-f]/.test(hash);

export function AboutApp() {
  return (
    <section class="card" aria-labelledby="about-title">
      <h2 id="about-title">About this app</h2>
      <p>
        This copy of Hearth came from <strong>{location.host}</strong>. Whoever runs that server
        could send you a different app, one that reads what you write. The build hash names the
        exact code you run.
      </p>
      <div class="field">
        <label for="build-hash">Build hash</label>
        <Show when={stamped} fallback={<p id="build-hash">Development build: it has no hash.</p>}>
          <output id="build-hash" class="build-hash" data-testid="build-hash">
            {hash}
          </output>
        </Show>
      </div>
      <p class="hint">
        Compare it with the hash the Hearth project or your relay's operator publishes for this
        version, or build Hearth from its source yourself: <code>npm run build</code> then{' '}
        <code>npm run build-hash</code> prints the same hash for the same code. A changed app could
        show a false number here, so to check a server itself, run{' '}
        <code>npm run build-hash -- --compare</code> with its address.
      </p>
      <h3>Updates</h3>
      <p>
        A new version of Hearth is never started by itself: it waits until you choose to reload, and
        its build hash changes.
      </p>
      <Show when={updateReady()}>
        {(apply) => (
          <div class="actions">
            <button class="primary" type="button" onClick={() => void apply()()}>
              Reload to update
            </button>
          </div>
        )}
      </Show>
    </section>
  );
}
