import { Show } from 'solid-js';

/** The button under a paged list: says how many rows are left and shows the next page. */
export function ShowMore(props: {
  remaining: number;
  step: number;
  noun: string;
  onMore: () => void;
}) {
  return (
    <Show when={props.remaining > 0}>
      <div class="actions">
        <button type="button" onClick={() => props.onMore()}>
          Show {Math.min(props.step, props.remaining)} more {props.noun} ({props.remaining} not
          shown)
        </button>
      </div>
    </Show>
  );
}
