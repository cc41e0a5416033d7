import { describe, expect, it } from 'vitest';
import { findMentions } from './mentions.ts';

const ann = { id: 'A', name: 'Ann' };
const annLee = { id: 'AL', name: 'Ann Lee' };
const bob = { id: 'B', name: 'Bob' };

describe('findMentions without the markdown parser', () => {
  it('skips fenced, indented and inline code', () => {
    const src = [
      '```',
      '@Bob in a fence',
      '```',
      '    @Bob indented',
      'and `@Bob` inline, but @Ann here',
    ].join('\n');
    expect(findMentions(src, [ann, bob])).toEqual(['A']);
  });
  it('an unclosed fence hides the rest, as markdown does', () => {
    expect(findMentions('~~~\n@Bob', [bob])).toEqual([]);
  });
  it('prefers the longest name and needs word boundaries', () => {
    expect(findMentions('hi @ann lee!', [ann, annLee])).toEqual(['AL']);
    expect(findMentions('x@Ann @Annie', [ann])).toEqual([]);
  });
});
