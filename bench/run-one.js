#!/usr/bin/env node
// One measured synth in a process of its own, so its peak RSS is its own:
//   node bench/run-one.js library <regions>
//   node bench/run-one.js hand-written <regions> <shape.json>
// Prints one JSON line: objects made, milliseconds per phase, peak RSS and (library) one region's shape.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { countOutput, regionShape } = require('./count-output');

const [program, regionsArgument, shapeFile] = process.argv.slice(2);
const regions = Number(regionsArgument);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-'));
const outdir = path.join(root, 'out');

const phases = {};
let current;
let since;
function onPhase(phase) {
  const now = process.hrtime.bigint();
  if (current) phases[current] = (phases[current] ?? 0) + Number(now - since) / 1e6;
  current = phase === 'done' ? undefined : phase;
  since = now;
}

let load = process.hrtime.bigint();
let result;
if (program === 'library') {
  const { Fleet, citizenServices } = require('../dist');
  load = Number(process.hrtime.bigint() - load) / 1e6;
  onPhase('build');
  const fleet = new Fleet({ blueprint: citizenServices, outdir });
  const overrides = {};
  for (let i = 0; i < regions; i++)
    overrides[`city-${i}`] = { overrides: { clusters: [{ name: 'gov', connection: { kubeconfig: { context: `city-${i}-gov` } } }] } };
  fleet.addRegions(overrides);
  fleet.synth({ onPhase });
} else if (program === 'hand-written') {
  const { synthHandWritten } = require('./hand-written');
  load = Number(process.hrtime.bigint() - load) / 1e6;
  synthHandWritten({ regions, shape: JSON.parse(fs.readFileSync(shapeFile, 'utf8')), outdir, onPhase });
} else {
  throw new Error(`usage: node bench/run-one.js library|hand-written <regions> [shape.json]`);
}
// Peak RSS before the output is read back for counting.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const counts = countOutput(outdir);
const shape = program === 'library' ? regionShape(outdir, 'city-0') : undefined;
fs.rmSync(root, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ program, regions, load, phases, peakRssMb, ...counts, shape })}\n`);
