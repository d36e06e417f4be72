#!/usr/bin/env node
// `npm run bench [-- --regions 50,500] [--heap-cap 450]`: the library's fleet synth (the
// `citizenServices` blueprint, one gov cluster per region) against a hand-written cdktf + cdk8s
// program emitting the same number and kinds of objects (bench/hand-written.js), each run in a
// process of its own; then the library again with V8's heap capped (`--max-old-space-size`, 0 to
// skip): uncapped, V8 lets garbage pile up as far as the machine's memory allows, so the capped run
// tells whether the synth fits a memory budget. Prints time per object, the ratio, peak RSS and
// the time by phase; asserts nothing (timings are not tests).
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const argv = process.argv.slice(2);
const at = argv.indexOf('--regions');
const sizes = (at >= 0 ? argv[at + 1] : argv.find((a) => /^[\d,]+$/.test(a)) || '50,500').split(',').map(Number);
const capAt = argv.indexOf('--heap-cap');
const heapCapMb = capAt >= 0 ? Number(argv[capAt + 1]) : 450;
if (!Number.isInteger(heapCapMb) || heapCapMb < 0)
  throw new Error(`--heap-cap must be a whole number of MB (0 to skip the capped run), got ${argv[capAt + 1]}`);

function run(...args) {
  return runWith([], ...args);
}

function runWith(nodeOptions, ...args) {
  const stdout = execFileSync(process.execPath, [...nodeOptions, path.join(__dirname, 'run-one.js'), ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

const round = (n) => Math.round(n);
const sum = (phases, names) => names.reduce((a, name) => a + (phases[name] ?? 0), 0);
const rows = [];
for (const regions of sizes) {
  const library = run('library', regions);
  const shapeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-shape-')), 'shape.json');
  fs.writeFileSync(shapeFile, JSON.stringify(library.shape));
  const hand = run('hand-written', regions, shapeFile);
  fs.rmSync(path.dirname(shapeFile), { recursive: true, force: true });
  if (hand.objects !== library.objects) throw new Error(`the hand-written program made ${hand.objects} objects, the library ${library.objects}`);
  const total = (r) => sum(r.phases, Object.keys(r.phases));
  const perObject = (r) => (total(r) * 1000) / r.objects;
  const capped =
    heapCapMb > 0 ? { ...runWith([`--max-old-space-size=${heapCapMb}`], 'library', regions), program: `library, heap cap ${heapCapMb} MB` } : undefined;
  for (const r of capped ? [library, hand, capped] : [library, hand]) {
    rows.push({
      program: r.program,
      regions,
      objects: r.objects,
      'cpu µs/object': round(perObject(r)),
      ratio: r === hand ? 1 : +(perObject(r) / perObject(hand)).toFixed(2),
      'peak RSS MB': round(r.peakRssMb),
      'cpu ms': round(total(r)),
      'wall ms': round(r.wall),
      'build ms': round(sum(r.phases, ['build'])),
      'terraform ms': round(sum(r.phases, ['terraform'])),
      'yaml ms': round(sum(r.phases, ['yaml'])),
      'checks ms': round(sum(r.phases, ['validate', 'checks'])),
      'reports+write ms': round(sum(r.phases, ['reports', 'write'])),
      'load ms': round(r.load),
    });
  }
}
console.table(rows);
console.log(
  'CPU time (user + system, which counts GC threads too; the wall clock counts whatever else the machine runs) of build + synth, module load apart, per Terraform resource or manifest object. Phases in CPU ms.',
);
