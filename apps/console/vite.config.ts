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
      '/api': { target: server, ws: true, changeOrigin: false },
      '/widget.js': server,
      '/demo': server,
    },
  },
});
