// No imports, so this config works wherever vite is installed. Nothing here is needed for the .wasm:
// Vite follows @vgp/core's `new URL('../build/<name>.wasm', import.meta.url)` in `vite build` and
// in the dev server's dependency pre-bundling alike.
export default {
  // Relative asset URLs, so the built page works from any directory.
  base: './',
};
