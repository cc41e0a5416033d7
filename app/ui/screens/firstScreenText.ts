// Words the first screen shows both ways it is painted: by boot.ts before the app's code has
// loaded (ui/firstPaint.ts) and by the app (Welcome.tsx, Home.tsx), which replaces that paint
// with the same words in the same places.
export const WELCOME_TITLE = 'Welcome to Hearth';
export const WELCOME_INTRO =
  'A private place for your group to talk, write and decide. Everything you write is encrypted on this device; there is no account and no password.';
export const HOME_TITLE = 'Hearth';
export const GROUPS_HEADING = 'Your groups';
export const NO_GROUPS =
  'You are not in a group yet. Start one for your people, or open an invite link someone sent you.';
