import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serviceWorker } from './m/sw-plugin.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Two entries built into dist/web and served by the API process (src/platform/http/web.ts):
 * the console (index.html) and the field/citizen PWA (m/index.html, served at /m/).
 */
export default defineConfig({
  root,
  plugins: [react(), serviceWorker({ entry: 'm/index.html', scope: '/m/', publicDir: 'public/m' })],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        console: fileURLToPath(new URL('./index.html', import.meta.url)),
        mobile: fileURLToPath(new URL('./m/index.html', import.meta.url)),
      },
    },
  },
  server: {
    // `npx vite web` during development: the API runs on its own port.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
