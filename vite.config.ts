import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';

// The app shell is precached by a generated Workbox service worker; the page asks before
// switching to a new version (registerType 'prompt'), so an update never drops a draft.
export default defineConfig({
  plugins: [
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
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/(mailbox|config|healthz|metrics|signal|__test)/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/mailbox': 'http://127.0.0.1:8787',
      '/config': 'http://127.0.0.1:8787',
      '/signal': { target: 'ws://127.0.0.1:8787', ws: true },
    },
  },
});
