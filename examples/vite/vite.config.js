// No imports, so this config works wherever vite is installed.
export default {
  // The dev server pre-bundles dependencies into node_modules/.vite, which would move @vgp/core away
  // from its build/*.wasm; served as is, its `new URL('../build/...wasm', import.meta.url)` resolves.
  optimizeDeps: { exclude: ['@vgp/core'] },
  // Relative asset URLs, so the built page works from any directory.
  base: './',
};
