import { afterEach, describe, expect, it, vi } from 'vitest';
import { InviteError } from '../../core/invite/invite.ts';
import { StorageError } from '../../core/storage/StorageAdapter.ts';
import { GENERIC_ERROR_MESSAGE, messageFor } from './errors.ts';

describe('messageFor', () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows a HearthError's plain-words message and logs nothing", () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const err = new StorageError('quota', 'QuotaExceededError on put');
    expect(messageFor(err)).toBe(err.message);
    expect(messageFor(err)).toMatch(/run out of storage space/);
    expect(messageFor(new InviteError('truncated'), 'unused fallback')).toBe(
      'This link is cut off — ask for the whole link again.',
    );
    expect(log).not.toHaveBeenCalled();
  });

  it('never shows the developer detail', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(messageFor(new InviteError('bad-encoding', 'check bytes do not match'))).not.toMatch(
      /check bytes/,
    );
  });

  it('replaces any other error with the generic sentence and logs the raw error', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const raw = new TypeError("Cannot read properties of undefined (reading 'id')");
    const shown = messageFor(raw);
    expect(shown).toBe(GENERIC_ERROR_MESSAGE);
    expect(shown).not.toMatch(/Cannot read|undefined|TypeError/);
    expect(log).toHaveBeenCalledWith(raw);
  });

  it('uses the caller’s fallback for a non-HearthError', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(messageFor(new Error('boom'), 'This post could not be saved.')).toBe(
      'This post could not be saved.',
    );
  });

  it('handles thrown non-errors (strings, null, objects with a message)', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(messageFor('raw string')).toBe(GENERIC_ERROR_MESSAGE);
    expect(messageFor(null)).toBe(GENERIC_ERROR_MESSAGE);
    expect(messageFor(undefined)).toBe(GENERIC_ERROR_MESSAGE);
    expect(messageFor({ message: 'looks like an error', code: 'quota' })).toBe(
      GENERIC_ERROR_MESSAGE,
    );
    expect(log).toHaveBeenCalledTimes(4);
  });

  it('the generic sentence says what happened and what to do', () => {
    expect(GENERIC_ERROR_MESSAGE).toMatch(/^Something went wrong\. Try again/);
  });
});
