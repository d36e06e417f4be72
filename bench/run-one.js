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
// Reading the CPU clock is a system call that costs more than writing some small files, and
// synth alternates `yaml` and `write` per manifest file: between two CPU readings (taken when a
// phase other than those two begins or ends, or when a stretch of them passed 50 ms), the CPU time
// is shared among the phases by their wall time, read from the cheap monotonic clock.
const phases = {};
const FINE_PHASES = new Set(['yaml', 'write']);
const FINE_STRETCH_NS = 50_000_000n;
let current;
let since;
let cpuSince;
let cpuSinceWall;
let wallStart;
let wall = 0;
/** Wall nanoseconds by phase since the last CPU reading. */
let pending = new Map();
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
function settle(now, nowWall) {
  const cpuSpent = now - cpuSince;
  let wallSpent = 0n;
  for (const ns of pending.values()) wallSpent += ns;
  for (const [phase, ns] of pending) {
    const share = wallSpent > 0n ? Number(ns) / Number(wallSpent) : 1 / pending.size;
    phases[phase] = (phases[phase] ?? 0) + cpuSpent * share;
  }
  pending = new Map();
  cpuSince = now;
  cpuSinceWall = nowWall;
}
function onPhase(phase) {
  if (phase === current) return;
  const nowWall = process.hrtime.bigint();
  if (current) {
    pending.set(current, (pending.get(current) ?? 0n) + nowWall - since);
    const fine = FINE_PHASES.has(current) && FINE_PHASES.has(phase) && nowWall - cpuSinceWall < FINE_STRETCH_NS;
    if (!fine) settle(cpu(), nowWall);
  } else {
    wallStart = nowWall;
    cpuSince = cpu();
    cpuSinceWall = nowWall;
  }
  if (phase === 'done') wall = Number(nowWall - wallStart) / 1e6;
  current = phase === 'done' ? undefined : phase;
  since = nowWall;
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
