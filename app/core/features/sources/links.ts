// The key under which two links lead to the same source (duplicates), and the DOI in a text.
// Small and used by the Sources facade on every open, so the citation parsers (parse.ts) stay
// out of it and load only with the form that uses them.

const DOI_RE = /\b(10\.\d{4,9}\/[^\s"<>{}]+)/iu;
/** Query parameters that only say where a click came from. */
const TRACKING =
  /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src|_hsenc|_hsmkt)$/iu;

/** A DOI in `text` ("10.1234/abc", "doi:…", "https://doi.org/…"), lower case, or undefined. */
export function doiIn(text: string): string | undefined {
  const m = DOI_RE.exec(text);
  return m ? m[1]!.replace(/[.,;)\]]+$/u, '').toLowerCase() : undefined;
}

/**
 * The key under which two links count as the same source: scheme, `www.`, default port,
 * fragment, tracking parameters, parameter order, a trailing slash and letter case of the
 * host make no difference; a DOI link is keyed by its DOI. Undefined for text that is no
 * http(s) link or DOI.
 */
export function urlKey(raw: string): string | undefined {
  const text = raw.trim();
  const doiLink = /^(?:https?:\/\/)?(?:dx\.)?doi\.org\/(.+)$/iu.exec(text);
  if (doiLink || /^doi:/iu.test(text)) {
    const doi = doiIn(decodeSafe(doiLink ? doiLink[1]! : text));
    return doi ? `doi:${doi}` : undefined;
  }
  const m = /^(?:(https?):\/\/)?([^/?#\s]+)([^?#\s]*)(\?[^#\s]*)?(#\S*)?$/iu.exec(text);
  if (!m) return undefined;
  const [, scheme, hostPort = '', path = '', query = ''] = m;
  if (!scheme && !hostPort.includes('.')) return undefined;
  const hm = /^(?:[^@]*@)?([^:]+)(?::(\d+))?$/u.exec(hostPort);
  if (!hm) return undefined;
  const host = hm[1]!
    .toLowerCase()
    .replace(/^www\./u, '')
    .replace(/\.$/u, '');
  const port = hm[2] && hm[2] !== '80' && hm[2] !== '443' ? `:${hm[2]}` : '';
  const cleanPath = path
    .replace(/%[0-9a-f]{2}/giu, (h) => h.toUpperCase())
    .replace(/\/index\.html?$/iu, '/')
    .replace(/\/+$/u, '');
  const params = query
    .slice(1)
    .split('&')
    .filter((p) => p !== '' && !TRACKING.test(p.split('=')[0]!))
    .sort();
  return `${host}${port}${cleanPath}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
