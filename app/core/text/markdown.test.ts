import { describe, expect, it } from 'vitest';
import { findMentions, renderMarkdown } from './markdown.ts';
import { findUnsafeHtml, XSS_CORPUS } from './xssCorpus.ts';

/** Text of all tags in `html`: the only place where markup could act. */
const tagsOf = (html: string): string => (html.match(/<[^>]*>/g) ?? []).join('\n');

describe('renderMarkdown: XSS corpus', () => {
  it.each(XSS_CORPUS.map((src) => [src]))('%j renders inert', (src) => {
    const html = renderMarkdown(src);
    expect(findUnsafeHtml(html)).toEqual([]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toMatch(/<iframe/i);
    const tags = tagsOf(html);
    expect(tags).not.toMatch(/\son\w+\s*=/i);
    expect(tags).not.toMatch(/javascript:/i);
    expect(tags).not.toMatch(/ id=/i);
    expect(tags).not.toMatch(/ name=/i);
    expect(tags).not.toMatch(/ style=/i);
  });

  it('the checker itself catches unsafe markup', () => {
    expect(findUnsafeHtml('<img src=x>')).not.toEqual([]);
    expect(findUnsafeHtml('<a href="javascript:alert(1)">x</a>')).not.toEqual([]);
    expect(findUnsafeHtml('<p onclick="x">a</p>')).not.toEqual([]);
    expect(findUnsafeHtml('<p id="x">a</p>')).not.toEqual([]);
    expect(findUnsafeHtml('<a href="/relative">a</a>')).not.toEqual([]);
    expect(findUnsafeHtml('<p>&lt;script&gt;</p>')).toEqual([]);
  });
});

describe('renderMarkdown: what it allows', () => {
  it('renders headings, lists, quotes, code and tables', () => {
    const html = renderMarkdown(
      '## Title\n\n- one\n- two\n\n1. a\n\n> quoted\n\n```ts\nlet x = 1;\n```\n\n| a | b |\n|---|:-:|\n| 1 | 2 |',
    );
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<ul>\n<li>one</li>');
    expect(html).toContain('<ol>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<pre><code class="language-ts">let x = 1;');
    expect(html).toContain('<th class="md-align-center">b</th>');
  });

  it('gives every link rel and target, and keeps only http, https and mailto', () => {
    const html = renderMarkdown(
      '[a](https://a.example) <http://b.example> https://c.example [m](mailto:x@y.example) [f](ftp://f.example)',
    );
    expect(html.match(/<a /g)).toHaveLength(4);
    expect(html.match(/rel="noopener noreferrer nofollow" target="_blank"/g)).toHaveLength(4);
    expect(html).toContain('[f](ftp://f.example)');
  });

  it('turns images into a tap-to-open link, never an <img>', () => {
    expect(renderMarkdown('![a cat](https://x.example/cat.jpg)')).toBe(
      '<p><a class="md-image" href="https://x.example/cat.jpg" rel="noopener noreferrer nofollow" target="_blank">Image: a cat (tap to open)</a></p>\n',
    );
    expect(renderMarkdown('![](https://x.example/c.jpg)')).toContain('Image: no description');
    expect(renderMarkdown('![a](mailto:x@y.example)')).not.toContain('<a');
  });

  it('does not nest anchors when an image is inside a link', () => {
    const html = renderMarkdown('[![x](https://i.example/a.png)](https://ok.example)');
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain('<span class="md-image">Image: x</span>');
  });

  it('links bare URLs and emails, and keeps line breaks', () => {
    expect(renderMarkdown('see https://a.example/x or bob@gmail.com\nbye')).toBe(
      '<p>see <a href="https://a.example/x" rel="noopener noreferrer nofollow" target="_blank">https://a.example/x</a>' +
        ' or <a href="mailto:bob@gmail.com" rel="noopener noreferrer nofollow" target="_blank">bob@gmail.com</a><br>\nbye</p>\n',
    );
  });

  it('keeps escaped HTML visible as text', () => {
    expect(renderMarkdown('<b>hi</b>')).toBe('<p>&lt;b&gt;hi&lt;/b&gt;</p>\n');
  });
});

describe('mentions', () => {
  const ann = { id: 'ID-ANN', name: 'Ann' };
  const annLee = { id: 'ID-ANNLEE', name: 'Ann Lee' };
  const bob = { id: 'ID-BOB', name: 'bob' };
  const all = [ann, annLee, bob];

  it('wraps known names, longest first, case-insensitive, at word boundaries', () => {
    const html = renderMarkdown('hi @ann lee and @Ann, @bob2 x@bob `@bob`', {
      mentions: all,
      me: 'ID-ANN',
    });
    expect(html).toBe(
      '<p>hi <span class="mention" data-member="ID-ANNLEE">@ann lee</span> and ' +
        '<span class="mention mention-me" data-member="ID-ANN">@Ann</span>, @bob2 x@bob <code>@bob</code></p>\n',
    );
  });

  it('leaves @name alone when no member list is given', () => {
    expect(renderMarkdown('@Ann')).toBe('<p>@Ann</p>\n');
  });

  it('escapes hostile names and ids', () => {
    const evil = { id: '"><img src=x>', name: '<b>x' };
    const html = renderMarkdown('@<b>x', { mentions: [evil] });
    expect(html).toContain('@&lt;b&gt;x</span>');
    expect(findUnsafeHtml(html)).toEqual([]);
  });

  it('findMentions returns ids in order, once each, ignoring code', () => {
    expect(findMentions('@bob then @Ann Lee, @bob again, `@Ann`', all)).toEqual([
      'ID-BOB',
      'ID-ANNLEE',
    ]);
    expect(findMentions('mail ann@bob.example', all)).toEqual([]);
  });

  it('findMentions matches every member who shares a name', () => {
    const twin = { id: 'ID-BOB2', name: 'Bob' };
    expect(findMentions('@bob', [bob, twin]).sort()).toEqual(['ID-BOB', 'ID-BOB2']);
  });
});

describe('note links', () => {
  const noteLink = (title: string) =>
    title === 'Plan'
      ? { href: '#/g/G/n/N1', label: 'Plan 2027', missing: false }
      : title === 'Evil'
        ? { href: 'javascript:alert(1)', label: '<b>x</b>', missing: false }
        : { href: `#/g/G/nt/${encodeURIComponent(title)}`, label: title, missing: true };

  it('renders [[title]] as an in-app link only when asked, and nothing else as an href', () => {
    expect(renderMarkdown('See [[Plan]]')).toContain('[[Plan]]');
    const html = renderMarkdown('See [[Plan]] and [[New <page>]] and [[Evil]]', { noteLink });
    expect(html).toContain('<a class="note-link" href="#/g/G/n/N1">Plan 2027</a>');
    expect(html).toContain('class="note-link missing" href="#/g/G/nt/New%20%3Cpage%3E"');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('[[&lt;b&gt;x&lt;/b&gt;]]');
    expect(renderMarkdown('[[a\nb]]', { noteLink })).not.toContain('note-link');
  });
});
