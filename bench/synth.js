#!/usr/bin/env node
// `npm run bench`: synth time of the default blueprint for growing fleets, to check it stays
// linear in the number of regions. Prints a table; asserts nothing (timings are not tests).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Fleet, citizenServices } = require('../dist');

const sizes = (process.argv[2] || '5,20,80').split(',').map(Number);
const rows = [];
for (const size of sizes) {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-')), 'out');
  const t0 = process.hrtime.bigint();
  const fleet = new Fleet({ blueprint: citizenServices, outdir });
  const regions = {};
  for (let i = 0; i < size; i++) {
    regions[`city-${i}`] = { overrides: { clusters: [{ name: 'gov', connection: { kubeconfig: { context: `city-${i}-gov` } } }] } };
  }
  fleet.addRegions(regions);
  const t1 = process.hrtime.bigint();
  const result = fleet.synth();
  const t2 = process.hrtime.bigint();
  fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  const build = Number(t1 - t0) / 1e6;
  const synth = Number(t2 - t1) / 1e6;
  rows.push({
    regions: size,
    stacks: result.stacks.length,
    files: result.manifestFiles.length,
    'build ms': Math.round(build),
    'synth ms': Math.round(synth),
    'ms per region': Math.round((build + synth) / size),
  });
}
console.table(rows);
