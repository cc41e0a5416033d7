import { describe, expect, it } from 'vitest';
import { findMentionQuery, insertMention } from './mentionQuery.ts';

describe('findMentionQuery', () => {
  it('finds the @ being typed at the caret', () => {
    expect(findMentionQuery('hi @al', 6)).toEqual({ start: 3, prefix: 'al' });
    expect(findMentionQuery('@', 1)).toEqual({ start: 0, prefix: '' });
  });

  it('allows a space inside a name being typed', () => {
    expect(findMentionQuery('ask @Ann L', 10)).toEqual({ start: 4, prefix: 'Ann L' });
  });

  it('ignores an @ inside a word, such as an email address', () => {
    expect(findMentionQuery('mail me@example', 15)).toBeNull();
  });

  it('stops at a line break, a leading space or a long run of text', () => {
    expect(findMentionQuery('@al\nx', 5)).toBeNull();
    expect(findMentionQuery('@ al', 4)).toBeNull();
    expect(findMentionQuery(`@${'a'.repeat(41)}`, 42)).toBeNull();
  });

  it('only looks at text before the caret', () => {
    expect(findMentionQuery('@alice and more', 3)).toEqual({ start: 0, prefix: 'al' });
    expect(findMentionQuery('no mention @al', 5)).toBeNull();
  });
});

describe('insertMention', () => {
  it('replaces the query with the name and a space, caret after it', () => {
    const q = { start: 3, prefix: 'al' };
    expect(insertMention('hi @al', q, 6, 'Alice')).toEqual({ text: 'hi @Alice ', caret: 10 });
  });

  it('keeps the text after the caret without doubling a space', () => {
    const q = { start: 0, prefix: 'B' };
    expect(insertMention('@B thanks', q, 2, 'Bob')).toEqual({ text: '@Bob thanks', caret: 5 });
  });
});
