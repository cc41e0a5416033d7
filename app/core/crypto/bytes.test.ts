import { describe, expect, it } from 'vitest';
import { Base64UrlError, bytesEqual, concatBytes, fromBase64Url, toBase64Url } from './bytes.ts';

describe('base64url', () => {
  it('matches RFC 4648 vectors without padding', () => {
    const enc = (s: string) => toBase64Url(new TextEncoder().encode(s));
    expect(enc('')).toBe('');
    expect(enc('f')).toBe('Zg');
    expect(enc('fo')).toBe('Zm8');
    expect(enc('foo')).toBe('Zm9v');
    expect(enc('foob')).toBe('Zm9vYg');
    expect(enc('fooba')).toBe('Zm9vYmE');
    expect(enc('foobar')).toBe('Zm9vYmFy');
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
  it('round-trips every length up to 70', () => {
    for (let n = 0; n < 70; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
      expect(fromBase64Url(toBase64Url(b))).toEqual(b);
    }
  });
  it('rejects bad input', () => {
    expect(() => fromBase64Url('a')).toThrow(Base64UrlError);
    expect(() => fromBase64Url('ab+/')).toThrow(expect.objectContaining({ code: 'bad-character' }));
    expect(() => fromBase64Url('Zh')).toThrow(expect.objectContaining({ code: 'stray-bits' }));
    expect(() => fromBase64Url('Zm9v=')).toThrow(Base64UrlError);
  });
});

describe('byte helpers', () => {
  it('concat and compare', () => {
    const c = concatBytes(new Uint8Array([1]), new Uint8Array([2, 3]));
    expect(c).toEqual(new Uint8Array([1, 2, 3]));
    expect(bytesEqual(c, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(bytesEqual(c, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(bytesEqual(c, new Uint8Array([1, 2]))).toBe(false);
  });
});
