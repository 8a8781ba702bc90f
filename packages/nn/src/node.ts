// `@vgp/nn/node`: what only Node can do (read files), kept out of the main entry so browser bundles stay free of `node:fs`.
export { datasetFromCsvFile, readCsvFile } from './tasks/csv-file.js';
