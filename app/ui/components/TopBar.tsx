import { type JSX, Show } from 'solid-js';

/** The sticky bar every screen has: a back link, the screen's h1, and room for actions. */
export function TopBar(props: {
  title: string;
  back?: string;
  backLabel?: string;
  children?: JSX.Element;
}) {
  return (
    <header class="topbar">
      <Show when={props.back}>
        <a
          class="button icon-button quiet"
          href={props.back}
          aria-label={props.backLabel ?? 'Back'}
        >
          ←
        </a>
      </Show>
      <div class="titles">
        <h1>{props.title}</h1>
      </div>
      {props.children}
    </header>
  );
}
