// Date formats shared by lists and cards, in the reader's own locale. Each formatter is made
// on first use: the first Intl.DateTimeFormat loads the locale's data, which took ~50 ms of
// every start-up (~200 ms with a phone's CPU) when they were made as the code loaded, even on
// screens that show no date.
import { createSignal } from 'solid-js';
import { afterPaintIdle } from '../state/paint.ts';

export interface DateFormat {
  format(date: number | Date): string;
}

function lazyFormat(options: Intl.DateTimeFormatOptions): DateFormat {
  let formatter: Intl.DateTimeFormat | undefined;
  return {
    format(date) {
      formatter ??= new Intl.DateTimeFormat(undefined, options);
      return formatter.format(date);
    },
  };
}

/** "2 Mar 2026". */
export const dateFormat = lazyFormat({ dateStyle: 'medium' });
/** "2 Mar 2026, 14:05". */
export const dateTimeFormat = lazyFormat({ dateStyle: 'medium', timeStyle: 'short' });

/** "just now", "5 min ago", "3 h ago", then the date and time. */
export function agoText(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return dateTimeFormat.format(at);
}

const [localeLoaded, setLocaleLoaded] = createSignal(false);
let loading = false;

/**
 * `format.format(date)` once the locale's date data is loaded, '' until then (in a tracking
 * scope, the text fills in by itself). The first screen of messages does not wait for that
 * data: it is loaded once the screen is painted and the page idle.
 */
export function dateText(format: DateFormat, date: number | Date): string {
  if (localeLoaded()) return format.format(date);
  if (!loading) {
    loading = true;
    void afterPaintIdle().then(() => {
      dateTimeFormat.format(0);
      setLocaleLoaded(true);
    });
  }
  return '';
}
