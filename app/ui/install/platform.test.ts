import { describe, expect, it } from 'vitest';
import { type BrowserFacts, installWay, isAppleMobile } from './platform.ts';

const base: BrowserFacts = {
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile',
  platform: 'Linux armv8l',
  maxTouchPoints: 5,
  standalone: undefined,
  displayStandalone: false,
};
const iphone: BrowserFacts = {
  ...base,
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1',
  platform: 'iPhone',
  standalone: false,
};
const ipad: BrowserFacts = {
  ...base,
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15',
  platform: 'MacIntel',
  standalone: false,
};
const mac: BrowserFacts = { ...ipad, maxTouchPoints: 0 };

describe('installWay', () => {
  it('shows the Install button where the browser made an offer', () => {
    expect(installWay(base, true)).toBe('prompt');
  });
  it("gives Safari's Add to Home Screen steps on an iPhone and an iPad", () => {
    expect(isAppleMobile(iphone)).toBe(true);
    expect(isAppleMobile(ipad)).toBe(true);
    expect(isAppleMobile(mac)).toBe(false);
    expect(installWay(iphone, false)).toBe('ios');
    expect(installWay(ipad, false)).toBe('ios');
  });
  it('says it is installed when opened from the home screen', () => {
    expect(installWay({ ...iphone, standalone: true }, false)).toBe('installed');
    expect(installWay({ ...base, displayStandalone: true }, true)).toBe('installed');
  });
  it("points to the browser's menu otherwise", () => {
    expect(installWay(base, false)).toBe('menu');
    expect(installWay(mac, false)).toBe('menu');
  });
});
