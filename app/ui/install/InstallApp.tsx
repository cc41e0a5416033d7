// Settings' "Install Hearth": the browser's own prompt where it offers one, Safari's steps on
// iPhone and iPad, and a pointer to the browser's menu elsewhere. An installed app keeps its
// data longer (Safari clears a site's storage after seven days without a visit) and opens
// like any other app, offline too.
import { createSignal, Match, Switch } from 'solid-js';
import { clearInstallOffer, installOffer } from '../serviceWorker.ts';
import { browserFacts, installWay } from './platform.ts';

export function InstallApp() {
  const facts = browserFacts();
  const [note, setNote] = createSignal('');
  const way = () => installWay(facts, installOffer() !== null);
  const install = async () => {
    const offer = installOffer();
    if (!offer) return;
    setNote('');
    await offer.prompt();
    const { outcome } = await offer.userChoice;
    // An offer is good for one prompt.
    clearInstallOffer();
    setNote(
      outcome === 'accepted'
        ? 'Hearth is being installed. Open it from your home screen or app list.'
        : "Not installed. Your browser's menu can install Hearth later.",
    );
  };
  return (
    <section class="card" aria-labelledby="install-title">
      <h2 id="install-title">Install Hearth</h2>
      <Switch>
        <Match when={way() === 'installed'}>
          <p>Hearth is installed on this device: you are using the installed app.</p>
        </Match>
        <Match when={way() === 'prompt'}>
          <p>
            Installed, Hearth opens from your home screen like any other app, works offline, and
            your browser is less likely to clear its data.
          </p>
          <div class="actions">
            <button class="primary" type="button" onClick={() => void install()}>
              Install
            </button>
          </div>
        </Match>
        <Match when={way() === 'ios'}>
          <p>
            On iPhone and iPad, add Hearth to your Home Screen: Safari then keeps its data, and it
            opens like any other app, offline too.
          </p>
          <ol class="steps">
            <li>Open this page in Safari.</li>
            <li>
              Tap the Share button (the square with an arrow pointing up), at the bottom of the
              screen on iPhone or at the top on iPad.
            </li>
            <li>Scroll down and tap "Add to Home Screen".</li>
            <li>Tap "Add", then open Hearth from your Home Screen.</li>
          </ol>
        </Match>
        <Match when={way() === 'menu'}>
          <p>
            To install Hearth, use your browser's menu: "Install Hearth", "Install app" or "Add to
            Home screen". An installed app opens offline, and your browser is less likely to clear
            its data.
          </p>
        </Match>
      </Switch>
      <p role="status">{note()}</p>
    </section>
  );
}
