// Builds the UI into renderer/dist. The core server serves it under /t/<token>/, so every asset
// URL is relative (base './').
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The app is served from loopback; one chunk per view is enough, no size warnings needed.
    chunkSizeWarningLimit: 2000,
  },
});
