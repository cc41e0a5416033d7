// A source's link as something safe to put in href: only http(s) addresses (a bare host gets
// https://) and DOIs (as doi.org links). Anything else gets no link at all.
import { urlKey } from '../../../core/features/sources/links.ts';

export function safeHref(url: string | undefined, doi?: string): string | undefined {
  const u = url?.trim();
  if (u && urlKey(u) !== undefined) {
    if (/^https?:\/\//iu.test(u)) return u;
    if (/^doi:/iu.test(u)) return `https://doi.org/${encodeURI(u.slice(4).trim())}`;
    return `https://${u}`;
  }
  return doi ? `https://doi.org/${encodeURI(doi)}` : undefined;
}

/** What a card shows of a link: its host, or "doi.org". */
export function hostOf(url: string | undefined, doi?: string): string | undefined {
  const href = safeHref(url, doi);
  return href ? /^https?:\/\/([^/?#]+)/iu.exec(href)?.[1]?.replace(/^www\./u, '') : undefined;
}
