import { defineConfig } from 'vite';

// The timings report flags the nested worker build as slow on busy machines; it is expected (the
// worker bundles @vgp/nn) and only adds noise to `npm start`.
const quiet = { checks: { bundlerTimings: false } };

// Everything (Lit, uPlot, the worker, the .wasm binaries) is bundled: no CDN, so the page works
// offline once loaded. The worker is an ES module so it can import @vgp/nn like the page does.
export default defineConfig({
  base: './',
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000, rolldownOptions: quiet },
  worker: { format: 'es', rolldownOptions: quiet },
  preview: { host: '127.0.0.1' },
});
