import { describe, expect, it } from 'vitest';
import {
  compareKeys,
  hasPrefix,
  isQuotaError,
  parseSeqSegment,
  StorageError,
  seqSegment,
} from './StorageAdapter.ts';

describe('storage key helpers', () => {
  it('pads sequence numbers so text order is numeric order', () => {
    expect(seqSegment(42)).toBe('0000000000000042');
    expect(seqSegment(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    const nums = [0, 9, 10, 99, 100, 12345678901];
    const texts = nums.map(seqSegment);
    expect([...texts].sort()).toEqual(texts);
    expect(texts.map(parseSeqSegment)).toEqual(nums);
    expect(parseSeqSegment('12')).toBeUndefined();
    expect(() => seqSegment(-1)).toThrow(StorageError);
    expect(() => seqSegment(1.5)).toThrow(StorageError);
  });
  it('compares keys segment-wise with prefixes first', () => {
    expect(compareKeys(['a'], ['a', ''])).toBeLessThan(0);
    expect(compareKeys(['a', 'z'], ['ab'])).toBeLessThan(0);
    expect(compareKeys(['b'], ['a', 'z'])).toBeGreaterThan(0);
    expect(compareKeys(['x', 'y'], ['x', 'y'])).toBe(0);
    expect(hasPrefix(['a', 'b'], ['a'])).toBe(true);
    expect(hasPrefix(['ab'], ['a'])).toBe(false);
    expect(hasPrefix(['a'], [])).toBe(true);
  });
  it('recognises quota errors by name or legacy code', () => {
    expect(isQuotaError({ name: 'QuotaExceededError' })).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});
