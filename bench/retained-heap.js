#!/usr/bin/env node
// `node --expose-gc bench/retained-heap.js [synths]`: synthesizes the default blueprint several
// times in one process and prints the heap still in use after each (after a full GC). A heap that
// grows synth after synth is kept alive by something outside the Fleet.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { defaultFleet } = require('../dist/blueprints/default-fleet');

if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc bench/retained-heap.js');
const synths = Number(process.argv[2] || 12);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-heap-'));
const heap = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const rows = [];
let previous = heap();
for (let i = 1; i <= synths; i++) {
  defaultFleet({ outdir: path.join(root, 'out') }).synth();
  const now = heap();
  rows.push({ synth: i, 'heap used MB': +now.toFixed(1), 'retained MB': +(now - previous).toFixed(2) });
  previous = now;
}
fs.rmSync(root, { recursive: true, force: true });
console.table(rows);
const steady = rows.slice(2);
const perSynth = (steady[steady.length - 1]['heap used MB'] - rows[1]['heap used MB']) / Math.max(1, steady.length);
console.log(`retained per synth after the second: ${perSynth.toFixed(2)} MB`);
