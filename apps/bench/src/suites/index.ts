// The suite registry: adding a suite is one file in this folder and one line below.
import type { Suite } from '../suite.js';
import { gemmSuite } from './gemm.js';
import { monitorSuite } from './monitor.js';
import { networkViewSuite } from './network-view.js';
import { sweepSuite } from './sweep.js';
import { trainSuite } from './train.js';
import { vanishingSuite } from './vanishing.js';

export const SUITES: readonly Suite[] = [
  gemmSuite,
  trainSuite,
  monitorSuite,
  vanishingSuite,
  sweepSuite,
  networkViewSuite,
];
