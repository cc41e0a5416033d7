// Checks an exported decision record offline, in the app: pick the .json or .md file (or
// paste it); every signature is checked on this device and any altered or forged entry is
// named. Nothing is sent anywhere and no group is needed.
import { createSignal, For, Show } from 'solid-js';
import {
  parseRecordText,
  type RecordReport,
  verifyRecord,
} from '../../../core/features/decisions/record.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { href } from '../../router.ts';
import { homeRoute } from '../../screens/routes.ts';
import { messageFor } from '../../state/errors.ts';

export function VerifyScreen() {
  const [text, setText] = createSignal('');
  const [report, setReport] = createSignal<RecordReport | undefined>();
  const [error, setError] = createSignal('');
  const check = async (source: string) => {
    setReport(undefined);
    setError('');
    let data: unknown;
    try {
      data = parseRecordText(source);
    } catch {
      setError('This is not a decision record: Hearth exports them as .json or .md files.');
      return;
    }
    try {
      setReport(await verifyRecord(data));
    } catch (e) {
      setError(messageFor(e));
    }
  };
  const pick = async (e: Event & { currentTarget: HTMLInputElement }) => {
    const file = e.currentTarget.files?.[0];
    if (!file) return;
    const content = await file.text();
    setText(content);
    await check(content);
  };
  return (
    <>
      <TopBar title="Verify a decision record" back={href(homeRoute)} backLabel="Home" />
      <main>
        <p class="hint">
          Checks every signature in an exported record on this device, offline. It proves each entry
          was signed, unchanged, by the key it names, for the group it names; compare those keys
          with the members' fingerprints to know whose they are.
        </p>
        <div class="field">
          <label for="record-file">Record file (.json or .md)</label>
          <input
            id="record-file"
            type="file"
            accept=".json,.md,application/json,text/markdown"
            onChange={pick}
          />
        </div>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void check(text());
          }}
        >
          <div class="field">
            <label for="record-text">Or paste it</label>
            <textarea
              id="record-text"
              rows={4}
              value={text()}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </div>
          <button type="submit" disabled={!text().trim()}>
            Verify
          </button>
        </form>
        <p class="error" role="alert">
          {error()}
        </p>
        <Show when={report()}>
          {(r) => (
            <section
              class={`verify-result ${r().ok ? 'ok' : 'bad'}`}
              aria-labelledby="record-result"
              data-testid="record-result"
            >
              <p id="record-result">
                <strong>{r().ok ? 'Verified' : 'Not verified'}</strong>
                {r().title ? `: “${r().title}”` : ''}
              </p>
              <Show when={r().ok}>
                <p>
                  Every entry is signed by its author and unaltered, and the outcome follows from
                  them.
                </p>
              </Show>
              <ul class="list" aria-label="Entries">
                <For each={r().entries}>
                  {(e) => (
                    <li data-ok={e.ok ? 'yes' : 'no'}>
                      {e.ok ? '✓' : '✗'} {e.label}
                      {e.problem ? ` — ${e.problem}` : ''}
                    </li>
                  )}
                </For>
              </ul>
              <For each={r().problems}>{(p) => <p class="error">{p}</p>}</For>
            </section>
          )}
        </Show>
      </main>
    </>
  );
}
