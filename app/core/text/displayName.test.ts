import { describe, expect, it } from 'vitest';
import { cleanName, countChars, isCleanName, NAME_MAX_CHARS } from './displayName.ts';

describe('cleanName', () => {
  it('trims and collapses whitespace', () => {
    expect(cleanName('  Ann \t\n Lee  ')).toBe('Ann Lee');
  });
  it('strips control and bidi override characters', () => {
    expect(cleanName('Ann\u0000\u202e Lee\u0007')).toBe('Ann Lee');
  });
  it('rejects empty and overlong names, counting emoji once', () => {
    expect(cleanName('   ')).toBeNull();
    expect(cleanName('\u202e')).toBeNull();
    expect(cleanName('a'.repeat(NAME_MAX_CHARS))).toHaveLength(NAME_MAX_CHARS);
    expect(cleanName('a'.repeat(NAME_MAX_CHARS + 1))).toBeNull();
    expect(countChars('😀'.repeat(NAME_MAX_CHARS))).toBe(NAME_MAX_CHARS);
    expect(cleanName('😀'.repeat(NAME_MAX_CHARS))).not.toBeNull();
  });
  it('rejects names that show as nothing, and keeps joiners inside real ones', () => {
    for (const blank of [
      '\u200b',
      '\u200b \u200d',
      '\u3164',
      '\u2800\u2800',
      '\u0301',
      '\u2060\ufeff',
    ]) {
      expect(cleanName(blank)).toBeNull();
    }
    // A family emoji is held together by zero-width joiners; a combining accent stays on its letter.
    expect(cleanName('👩\u200d👩\u200d👧')).toBe('👩\u200d👩\u200d👧');
    expect(cleanName('Zoe\u0301')).toBe('Zoe\u0301');
  });
  it('isCleanName accepts only already-clean strings', () => {
    expect(isCleanName('Ann Lee')).toBe(true);
    expect(isCleanName(' Ann')).toBe(false);
    expect(isCleanName(42)).toBe(false);
  });
});
