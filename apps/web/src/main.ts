import { preloadLibraries } from '@vgp/nn';
import './components/vgp-app.js';

// The CSV reader and the spectrum's SVD are their own chunks, fetched here once the page has drawn, so
// a page that loses its network keeps both (the playground works offline once loaded).
const idle = globalThis.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
idle(() => {
  preloadLibraries().catch((e: unknown) => console.warn('vgp: could not preload the CSV and SVD modules', e));
});
