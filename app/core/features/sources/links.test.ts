import { describe, expect, it } from 'vitest';
import { doiIn, urlKey } from './links.ts';
import { parseBibtex, parseCitation, parseFormatted } from './parse.ts';

describe('urlKey: when two links are the same source', () => {
  it('ignores scheme, www, default ports, fragments, tracking, parameter order, trailing slash', () => {
    const same = [
      'https://www.Example.org/garden/beans/?b=2&a=1#top',
      'http://example.org:80/garden/beans?a=1&b=2&utm_source=news&fbclid=xyz',
      'example.org/garden/beans?a=1&b=2',
      '  HTTPS://EXAMPLE.ORG:443/garden/beans/?a=1&b=2&utm_medium=x  ',
    ];
    for (const u of same) expect(urlKey(u)).toBe('example.org/garden/beans?a=1&b=2');
    expect(urlKey('https://example.org/garden/Beans')).not.toBe(
      urlKey('https://example.org/garden/beans'),
    );
    expect(urlKey('https://example.org:8080/x')).toBe('example.org:8080/x');
    expect(urlKey('https://example.org/')).toBe('example.org');
    expect(urlKey('https://example.org/a/index.html')).toBe('example.org/a');
    expect(urlKey('https://example.org/a%2fb')).toBe(urlKey('https://example.org/a%2Fb'));
  });
  it('keys DOI links by their DOI, and refuses what is no link', () => {
    expect(urlKey('https://doi.org/10.1000/XYZ.123')).toBe('doi:10.1000/xyz.123');
    expect(urlKey('http://dx.doi.org/10.1000/xyz.123')).toBe('doi:10.1000/xyz.123');
    expect(urlKey('doi:10.1000/xyz.123')).toBe('doi:10.1000/xyz.123');
    expect(urlKey('not a link')).toBeUndefined();
    expect(urlKey('localhost')).toBeUndefined();
    expect(urlKey('')).toBeUndefined();
    expect(doiIn('see 10.5555/abc-1. Then')).toBe('10.5555/abc-1');
    expect(doiIn('none here')).toBeUndefined();
  });
});

describe('parseBibtex', () => {
  it('reads braces, quotes, bare numbers, TeX accents and "Last, First" names', () => {
    const bib = `@article{doe2020,
      title = {The {Beans} of Gr{\\"o}ningen \\& elsewhere},
      author = "Doe, Jane and Richard Roe and M{\\"u}ller, Hans",
      year = 2020, month = mar,
      journal = {Garden Studies},
      doi = {10.1234/GS.2020.7},
      abstract = {Beans   climb.},
      keywords = {Beans, Soil; climbing}
    }`;
    expect(parseBibtex(bib)).toEqual({
      title: 'The Beans of Gröningen & elsewhere',
      authors: ['Jane Doe', 'Richard Roe', 'Hans Müller'],
      date: '2020-03',
      url: 'https://doi.org/10.1234/gs.2020.7',
      doi: '10.1234/gs.2020.7',
      excerpt: 'Beans climb.',
      tags: ['beans', 'soil', 'climbing'],
    });
    expect(parseCitation(`@misc{x, url={https://example.org/a}, title={A}}`)).toEqual({
      title: 'A',
      url: 'https://example.org/a',
    });
    expect(parseBibtex('@book{broken')).toEqual({});
  });
});

describe('parseFormatted', () => {
  it('reads an APA-style reference with a DOI link', () => {
    expect(
      parseCitation(
        'Doe, J., Roe, R. A., & Poe, E. (2019). Soil and seed: A field guide. Garden Journal, 4(2), 1–9. https://doi.org/10.1234/gj.4.2',
      ),
    ).toEqual({
      title: 'Soil and seed: A field guide',
      authors: ['J. Doe', 'R. A. Roe', 'E. Poe'],
      date: '2019',
      url: 'https://doi.org/10.1234/gj.4.2',
      doi: '10.1234/gj.4.2',
    });
    expect(
      parseFormatted('Smith, A. (2021, March 5). Compost at home. https://example.org/c.'),
    ).toEqual({
      title: 'Compost at home',
      authors: ['A. Smith'],
      date: '2021-03-05',
      url: 'https://example.org/c',
    });
  });
  it('reads a bare DOI, and gives nothing for plain words', () => {
    expect(parseCitation('doi:10.1000/182')).toEqual({
      url: 'https://doi.org/10.1000/182',
      doi: '10.1000/182',
    });
    expect(parseCitation('just some words')).toEqual({});
  });
});
