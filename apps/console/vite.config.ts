// Builds the console SPA into dist/ (served by the server at `/`); in dev, proxies the API to a local server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      // The server only accepts the console socket and cookie writes from its own origin,
      // so the dev proxy presents requests as coming from it.
      '/api': { target: server, ws: true, rewriteWsOrigin: true, headers: { origin: server } },
      '/widget.js': server,
      '/demo': server,
    },
  },
});
