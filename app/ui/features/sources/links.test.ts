import { describe, expect, it } from 'vitest';
import { hostOf, safeHref } from './links.ts';

describe('safeHref', () => {
  it('links only http(s) addresses and DOIs', () => {
    expect(safeHref('https://example.org/a')).toBe('https://example.org/a');
    expect(safeHref('example.org/a')).toBe('https://example.org/a');
    expect(safeHref('doi:10.1234/x')).toBe('https://doi.org/10.1234/x');
    expect(safeHref(undefined, '10.1234/x')).toBe('https://doi.org/10.1234/x');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,hi')).toBeUndefined();
    expect(hostOf('https://www.example.org/a')).toBe('example.org');
    expect(hostOf(undefined)).toBeUndefined();
  });
});
