// How this browser installs a web app: Chromium offers a prompt (beforeinstallprompt, see
// serviceWorker.ts), Safari on iPhone and iPad only through Share > Add to Home Screen.

export interface BrowserFacts {
  readonly userAgent: string;
  readonly platform: string;
  readonly maxTouchPoints: number;
  /** Safari's navigator.standalone: opened from the home screen. */
  readonly standalone: boolean | undefined;
  /** matchMedia('(display-mode: standalone)').matches, or the same for fullscreen. */
  readonly displayStandalone: boolean;
}

export type InstallWay = 'installed' | 'ios' | 'prompt' | 'menu';

/** iPhone, iPod, or an iPad (which reports itself as a Mac with a touch screen). */
export function isAppleMobile(f: BrowserFacts): boolean {
  return (
    /\b(iPhone|iPad|iPod)\b/.test(f.userAgent) ||
    (f.platform === 'MacIntel' && f.maxTouchPoints > 1)
  );
}

/** What Settings offers: nothing (installed), Safari's steps, the Install button, or the menu. */
export function installWay(f: BrowserFacts, hasOffer: boolean): InstallWay {
  if (f.displayStandalone || f.standalone === true) return 'installed';
  if (hasOffer) return 'prompt';
  return isAppleMobile(f) ? 'ios' : 'menu';
}

export function browserFacts(): BrowserFacts {
  const nav = navigator as Navigator & { standalone?: boolean };
  return {
    userAgent: nav.userAgent,
    platform: nav.platform,
    maxTouchPoints: nav.maxTouchPoints,
    standalone: nav.standalone,
    displayStandalone:
      matchMedia('(display-mode: standalone)').matches ||
      matchMedia('(display-mode: fullscreen)').matches,
  };
}
