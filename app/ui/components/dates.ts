// Date formats shared by lists and cards, in the reader's own locale.

/** "2 Mar 2026". */
export const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
/** "2 Mar 2026, 14:05". */
export const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});
