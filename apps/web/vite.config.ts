import { defineConfig } from 'vite';

// Everything (Lit, uPlot, the worker, the .wasm binaries) is bundled: no CDN, so the page works
// offline once loaded. The worker is an ES module so it can import @vgp/nn like the page does.
export default defineConfig({
  base: './',
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1' },
});
