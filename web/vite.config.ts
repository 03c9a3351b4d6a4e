import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The console is built into dist/web and served by the API process (src/platform/http/web.ts). */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite web` during development: the API runs on its own port.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
