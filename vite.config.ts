import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { relaySignalingUrl } from './app/adapters/relayUrl.ts';
import { STAMP_PLACEHOLDER, stampBuild } from './scripts/buildHash.ts';

/**
 * lib0 (Yjs's codec) decodes every string of an update with TextDecoder, and one decode() call
 * costs Chromium about a microsecond: opening a group of 10,000 threads decodes some 200,000
 * short strings (keys, ids, signatures). Short ASCII strings are decoded in JS instead;
 * anything else still goes to TextDecoder, so every result (and every error) is unchanged.
 */
function lib0ShortStrings(): Plugin {
  const from =
    'export const readVarString = string.utf8TextDecoder ? _readVarStringNative : _readVarStringPolyfill';
  const to = `const _readVarStringShort = decoder => {
  const bytes = readVarUint8Array(decoder)
  if (bytes.length <= 100) {
    let ascii = true
    for (let i = 0; i < bytes.length; i++) if (bytes[i] > 127) { ascii = false; break }
    if (ascii) return String.fromCharCode.apply(null, bytes)
  }
  return string.utf8TextDecoder.decode(bytes)
}
export const readVarString = string.utf8TextDecoder ? _readVarStringShort : _readVarStringPolyfill`;
  return {
    name: 'hearth:lib0-short-strings',
    transform(code, id) {
      if (!/[\\/]lib0[\\/]decoding\.js$/.test(id)) return null;
      if (!code.includes(from)) {
        this.error('lib0/decoding.js changed: update lib0ShortStrings in vite.config.ts');
      }
      return code.replace(from, to);
    },
  };
}

/**
 * index.html's own script is app/boot.ts, which starts the IndexedDB reads and then imports
 * main.tsx. This adds main.tsx's chunk to the page as a second module script (and preloads
 * what it imports), so the browser fetches and compiles it from the start, beside boot's,
 * instead of after boot has run.
 */
function preloadMain(): Plugin {
  return {
    name: 'hearth:preload-main',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const main = chunks.find((c) => c.moduleIds.some((id) => id.endsWith('/app/main.tsx')));
        if (!main) this.error('main.tsx has no chunk of its own: update preloadMain');
        const files = new Set<string>();
        const visit = (file: string): void => {
          if (files.has(file) || html.includes(`/${file}"`)) return;
          files.add(file);
          const chunk = bundle[file];
          if (chunk?.type === 'chunk') for (const dep of chunk.imports) visit(dep);
        };
        visit(main.fileName);
        // main.tsx's own chunk as a script of the page: the browser compiles a script tag's
        // module on a background thread as it streams in, while a modulepreload's is compiled
        // on the page's thread when it arrives (~50 ms for this chunk, before boot.ts could
        // run). It runs after boot.ts, which it imports; boot's import() of it is the same
        // module. Its own imports stay preloads.
        return [...files].map((file) =>
          file === main.fileName
            ? {
                tag: 'script',
                attrs: { type: 'module', crossorigin: true, src: `/${file}` },
                injectTo: 'head' as const,
              }
            : {
                tag: 'link',
                attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
                injectTo: 'head' as const,
              },
        );
      },
    },
  };
}

/**
 * Writes the build hash (scripts/buildHash.ts) into the About chunk once every other step,
 * the service worker included, has written its files. A step that writes files into dist
 * must run before this one; precompressed copies (.br, .gz) made after it are left out of
 * the hash, and must be made from the stamped files.
 */
function stampBuildHash(): Plugin {
  let outDir = 'dist';
  return {
    name: 'hearth:build-hash',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler() {
        const hash = await stampBuild(outDir);
        this.info(`build hash ${hash}`);
      },
    },
  };
}

/**
 * The relay the app uses when it is served from another host (HEARTH_RELAY at build time,
 * docs/SELF-HOSTING.md); empty: the relay that serves it.
 */
function configuredRelay(): string {
  const raw = process.env.HEARTH_RELAY?.trim();
  return raw ? relaySignalingUrl(raw) : '';
}

/**
 * Everything main.tsx imports statically (and boot.ts does not) goes in one chunk. Left to
 * itself the bundler cuts the start path into some 30 small chunks shared with lazy screens,
 * and each is a request: on a phone's connection the requests queue (six at a time over
 * HTTP/1.1), costing round trips before the first paint.
 */
function startGroup() {
  type Info = { importers: readonly string[] } | null;
  type Ctx = { getModuleInfo(id: string): Info };
  const memo = new Map<string, boolean>();
  const reaches = (id: string, ctx: Ctx, root: RegExp): boolean => {
    const key = `${root.source}\0${id}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false); // a cycle adds nothing
    const found =
      root.test(id) || (ctx.getModuleInfo(id)?.importers ?? []).some((i) => reaches(i, ctx, root));
    memo.set(key, found);
    return found;
  };
  return {
    name: (id: string, ctx: Ctx) =>
      reaches(id, ctx, /[\\/]app[\\/]main\.tsx$/) && !reaches(id, ctx, /[\\/]app[\\/]boot\.ts$/)
        ? 'main'
        : null,
  };
}

// The app shell is precached by a generated Workbox service worker; the page asks before
// switching to a new version (registerType 'prompt'), so an update never drops a draft.
export default defineConfig({
  plugins: [
    lib0ShortStrings(),
    preloadMain(),
    solid(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: null,
      includeAssets: ['apple-touch-icon.png'],
      manifest: {
        name: 'Hearth',
        short_name: 'Hearth',
        description: 'Private, end-to-end encrypted space for your small group.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#1f1b24',
        theme_color: '#1f1b24',
        // Opened from the home screen icon's menu; hash routes, so the service worker's
        // navigation fallback answers them offline like any other start.
        shortcuts: [
          {
            name: 'New thread',
            short_name: 'New thread',
            description: 'Start a thread in one of your groups',
            url: '/#/t/new',
            icons: [{ src: '/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
          {
            name: 'Scan invite',
            short_name: 'Scan invite',
            description: "Scan an invite's QR code to join a group",
            url: '/#/scan',
            icons: [{ src: '/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
        ],
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        // Static routes for hashed assets (public/sw-routes.js).
        importScripts: ['/sw-routes.js'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/(mailbox|config|healthz|metrics|signal|__test)/],
        cleanupOutdatedCaches: true,
      },
    }),
    stampBuildHash(),
  ],
  define: {
    __HEARTH_BUILD_STAMP__: JSON.stringify(STAMP_PLACEHOLDER),
    __HEARTH_RELAY__: JSON.stringify(configuredRelay()),
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: { codeSplitting: { includeDependenciesRecursively: false, groups: [startGroup()] } },
    },
  },
  server: {
    proxy: {
      '/mailbox': 'http://127.0.0.1:8787',
      '/config': 'http://127.0.0.1:8787',
      '/signal': { target: 'ws://127.0.0.1:8787', ws: true },
    },
  },
});
