// Hostile markdown that members could write, and a checker for rendered HTML. Exported so
// the unit tests (string checks) and the end-to-end tests (a real browser DOM) share one
// corpus and one definition of "safe".

/** Markdown inputs that try to run script, load remote content or clobber the DOM. */
export const XSS_CORPUS: readonly string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle r=5/></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '<div style="background:url(javascript:alert(1))">styled</div>',
  '<p style="position:fixed;inset:0">cover</p>',
  '<form id="hearth"><input name="attributes"></form>',
  '<img name="getElementById"><img id="body">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html,<script>alert(1)</script>">',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](jav&#x09;ascript:alert(1))',
  '[click](jav\tascript:alert(1))',
  '[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[click](\u0001javascript:alert(1))',
  '[click]( javascript:alert(1))',
  '[click](<javascript:alert(1)>)',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](file:///etc/passwd)',
  '[click](//evil.example/x)',
  '[click](#/settings)',
  '[x](https://ok.example "title\\" onmouseover=\\"alert(1))',
  '[x](https://ok.example" onmouseover="alert(1))',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '[ref]\n\n[ref]: https://ok.example "t" onclick="alert(1)"',
  '<javascript:alert(1)>',
  '<vbscript:msgbox(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '<https://ok.example/"onmouseover="alert(1)>',
  'javascript:alert(1)',
  'www.evil.example/"onmouseover="alert(1)',
  '![x](https://evil.example/track.png)',
  '![x](https://evil.example/a.png "t" onerror="alert(1)")',
  '![x" onerror="alert(1)](https://evil.example/a.png)',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '[![x](https://evil.example/a.png)](https://ok.example)',
  '![ref]\n\n[ref]: https://evil.example/a.png',
  '# Heading {#id} <a name="top"></a>',
  '```js" onclick="alert(1)\ncode\n```',
  '```<script>alert(1)</script>\ncode\n```',
  '| a | b |\n|:--|--:|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |',
  '> <script>alert(1)</script>\n> [q](javascript:alert(1))',
  '- <iframe src=x>\n- ![i](https://evil.example/i.png)',
  '`<script>alert(1)</script>`',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</script>',
  '@<img src=x onerror=alert(1)>',
  '[<img src=x onerror=alert(1)>](https://ok.example)',
  '<a href="https://ok.example" id="x" name="y">x</a>',
  '<style>body{display:none}</style>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<template><script>alert(1)</script></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  'https://ok.example/?q=<script>alert(1)</script>',
  'mailto:someone@example.com?subject=<script>',
];

const ALLOWED_TAGS = new Set([
  'a',
  'blockquote',
  'br',
  'code',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'span',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
]);
const ALLOWED_ATTRS = new Set(['href', 'class', 'rel', 'target', 'data-member', 'start', 'title']);
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

/**
 * Problems in rendered HTML (empty when safe): tags or attributes outside the allow-list,
 * hrefs other than http/https/mailto, script-like URL schemes inside any tag.
 * Escaped text such as `&lt;script&gt;` is inert and is not reported.
 */
export function findUnsafeHtml(html: string): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const tag = m[0];
    const name = m[1]!.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) problems.push(`tag <${name}>`);
    if (/(?:javascript|vbscript|data):/i.test(tag)) problems.push(`script-like URL in ${tag}`);
    for (const a of m[2]!.matchAll(/\s([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const attr = a[1]!.toLowerCase();
      if (!ALLOWED_ATTRS.has(attr)) problems.push(`attribute ${attr} in ${tag}`);
      if (attr === 'href') {
        const value = (a[2] ?? '').replace(/^["']|["']$/g, '');
        if (!SAFE_HREF.test(value)) problems.push(`href ${value}`);
      }
    }
  }
  if (/<(?![a-zA-Z/])/.test(html)) problems.push('stray < in output');
  return problems;
}
