#!/usr/bin/env node
// One measured synth in a process of its own, so its peak RSS is its own:
//   node bench/run-one.js library <regions>
//   node bench/run-one.js hand-written <regions> <shape.json>
// Prints one JSON line: objects made, CPU milliseconds per phase, wall milliseconds, peak RSS and (library) one region's shape.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { countOutput, regionShape } = require('./count-output');

const [program, regionsArgument, shapeFile] = process.argv.slice(2);
const regions = Number(regionsArgument);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-'));
const outdir = path.join(root, 'out');

// CPU time (user + system) by phase rather than wall time: on a shared machine the wall clock
// counts the other processes too. The wall time of the whole run is kept beside it.
const phases = {};
let current;
let since;
let wallStart;
let wall = 0;
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
function onPhase(phase) {
  const now = cpu();
  if (current) phases[current] = (phases[current] ?? 0) + now - since;
  else wallStart = process.hrtime.bigint();
  if (phase === 'done') wall = Number(process.hrtime.bigint() - wallStart) / 1e6;
  current = phase === 'done' ? undefined : phase;
  since = now;
}

let load = cpu();
let result;
if (program === 'library') {
  const { Fleet, citizenServices } = require('../dist');
  load = cpu() - load;
  onPhase('build');
  const fleet = new Fleet({ blueprint: citizenServices, outdir });
  const overrides = {};
  for (let i = 0; i < regions; i++)
    overrides[`city-${i}`] = { overrides: { clusters: [{ name: 'gov', connection: { kubeconfig: { context: `city-${i}-gov` } } }] } };
  fleet.addRegions(overrides);
  fleet.synth({ onPhase });
} else if (program === 'hand-written') {
  const { synthHandWritten } = require('./hand-written');
  load = cpu() - load;
  synthHandWritten({ regions, shape: JSON.parse(fs.readFileSync(shapeFile, 'utf8')), outdir, onPhase });
} else {
  throw new Error(`usage: node bench/run-one.js library|hand-written <regions> [shape.json]`);
}
// Peak RSS before the output is read back for counting.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const counts = countOutput(outdir);
const shape = program === 'library' ? regionShape(outdir, 'city-0') : undefined;
fs.rmSync(root, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ program, regions, load, phases, wall, peakRssMb, ...counts, shape })}\n`);
