// Reading a pasted BibTeX entry or formatted citation into a source's fields, on the
// device: nothing here fetches a page, so no server learns what the group reads.
import { doiIn } from './links.ts';

/** What a pasted citation gives; the member checks and completes it before saving. */
export interface CitationFields {
  readonly title?: string;
  readonly authors?: readonly string[];
  readonly date?: string;
  readonly url?: string;
  readonly doi?: string;
  readonly excerpt?: string;
  readonly tags?: readonly string[];
}

/** Reads a pasted BibTeX entry, or else a formatted citation (APA-like) or a bare DOI. */
export function parseCitation(text: string): CitationFields {
  return /^\s*@\w+\s*[{(]/u.test(text) ? parseBibtex(text) : parseFormatted(text);
}

/** The fields of the first entry of a BibTeX text. */
export function parseBibtex(text: string): CitationFields {
  const fields = bibFields(text);
  const get = (k: string): string | undefined => {
    const v = fields.get(k);
    return v === undefined ? undefined : cleanTex(v);
  };
  const doi = get('doi') ? doiIn(get('doi')!) : undefined;
  const month = monthNumber(get('month'));
  const year = get('year');
  const date = get('date') ?? (year ? (month ? `${year}-${month}` : year) : undefined);
  const url = get('url') ?? (doi ? `https://doi.org/${doi}` : undefined);
  const authors = get('author')
    ?.split(/\s+and\s+/u)
    .map(personName)
    .filter((a) => a !== '');
  const tags = get('keywords')
    ?.split(/[,;]/u)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  return compact({
    title: get('title'),
    authors,
    date,
    url,
    doi,
    excerpt: get('abstract'),
    tags,
  });
}

/** `name = {value}`, `name = "value"` and `name = 2020` pairs, braces nested. */
function bibFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const open = text.search(/[{(]/u);
  const comma = text.indexOf(',', open);
  if (open < 0 || comma < 0) return out;
  let i = comma + 1;
  while (i < text.length) {
    const m = /^\s*([A-Za-z][\w-]*)\s*=\s*/u.exec(text.slice(i));
    if (!m) break;
    const name = m[1]!.toLowerCase();
    i += m[0].length;
    let value = '';
    const quoted = text[i] === '"';
    if (quoted || text[i] === '{') {
      // Up to the matching close: a quote inside braces does not end a quoted value.
      let depth = quoted ? 0 : 1;
      const start = ++i;
      for (; i < text.length; i++) {
        const c = text[i];
        if (text[i - 1] === '\\') continue;
        if (c === '{') depth++;
        else if (c === '}') depth--;
        if ((quoted && c === '"' && depth === 0) || (!quoted && depth === 0)) break;
      }
      value = text.slice(start, i);
      i++;
    } else {
      const v = /^[^,}\s]*/u.exec(text.slice(i))![0];
      value = v;
      i += v.length;
    }
    if (!out.has(name)) out.set(name, value);
    const next = /^\s*,?/u.exec(text.slice(i))![0];
    i += next.length;
  }
  return out;
}

const ACCENTS: Record<string, string> = {
  '"': '\u0308',
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '~': '\u0303',
  c: '\u0327',
};

/** TeX to plain text: accents, escapes, braces and runs of white space. */
function cleanTex(v: string): string {
  return v
    .replace(/\\([`'^"~c])\s*\{?([A-Za-z])\}?/gu, (_, a: string, ch: string) =>
      `${ch}${ACCENTS[a] ?? ''}`.normalize('NFC'),
    )
    .replace(/\\([&%$#_{}])/gu, '$1')
    .replace(/--/gu, '–')
    .replace(/\\[A-Za-z]+\s*/gu, '')
    .replace(/[{}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** "Last, First" as "First Last". */
function personName(s: string): string {
  const parts = s.split(',').map((p) => p.trim());
  return (parts.length >= 2 ? `${parts.slice(1).join(' ')} ${parts[0]}` : s).trim();
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(m: string | undefined): string | undefined {
  if (!m) return undefined;
  const n = /^\d{1,2}$/u.test(m) ? Number(m) : MONTHS.indexOf(m.slice(0, 3).toLowerCase()) + 1;
  return n >= 1 && n <= 12 ? String(n).padStart(2, '0') : undefined;
}

/**
 * A formatted reference such as "Doe, J., & Roe, A. (2020). Title. Journal, 1(2).
 * https://doi.org/10.1/x": authors before the year, the title after it, and any DOI or link.
 * A bare DOI gives just the DOI and its link.
 */
export function parseFormatted(text: string): CitationFields {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const doi = doiIn(flat);
  const link = /https?:\/\/\S+/iu.exec(flat)?.[0].replace(/[.,;)]+$/u, '');
  const url = link ?? (doi ? `https://doi.org/${doi}` : undefined);
  const ym = /\((\d{4})(?:,\s*([A-Za-z]+)(?:\s+(\d{1,2}))?)?[a-z]?\)\.?/u.exec(flat);
  let title: string | undefined;
  let authors: string[] | undefined;
  let date: string | undefined;
  if (ym) {
    const month = monthNumber(ym[2]);
    date = month ? `${ym[1]}-${month}${ym[3] ? `-${ym[3].padStart(2, '0')}` : ''}` : ym[1];
    authors = splitAuthors(flat.slice(0, ym.index));
    const rest = flat.slice(ym.index + ym[0].length).trim();
    const t = /^(.+?[^A-Z.])[.?!](\s|$)/u.exec(rest);
    title = (t ? t[1]! : rest).replace(/https?:\/\/\S+/iu, '').trim() || undefined;
  }
  return compact({ title, authors, date, url, doi });
}

/** "Doe, J., Roe, A., & Poe, E." as ["J. Doe", "A. Roe", "E. Poe"]. */
function splitAuthors(s: string): string[] | undefined {
  const text = s
    .replace(/\s*(&|\band\b)\s*/gu, ', ')
    .replace(/[\s,.]+$/u, '.')
    .trim();
  const parts = text.split(/,\s*/u).filter((p) => p !== '');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const last = parts[i]!;
    const initials = parts[i + 1];
    if (initials !== undefined && /^(\p{Lu}\.\s*-?)+$/u.test(initials)) {
      out.push(`${initials.trim()} ${last}`);
      i++;
    } else out.push(last.replace(/\.$/u, ''));
  }
  return out.length > 0 ? out : undefined;
}

function compact(o: Record<string, string | readonly string[] | undefined>): CitationFields {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v.length > 0),
  ) as CitationFields;
}
