// The layers of govcloud-blueprint, checked by `npm run lint` (README "Architecture").
//
//   lib/                  the engine: knows no concept, imports nothing of ours
//   *-spec.ts             types + schema of a concept (and its catalogue data)
//   *-plan.ts, *-checks.ts  pure functions of the spec: plans and cross-reference checks
//   everything else       constructs (they may use all of the above)
//   *-report.ts           report sections: read plans, and the tree through core/tree.ts types
//
// Modules are pure (spec, plan, checks, catalogue, report) by their file name; a pure module never
// reaches a construct library, so a plan can run with no construct tree at all.
const CONSTRUCT_LIBRARIES = '^node_modules/(constructs|cdk8s|cdktf|@cdktf)/';
const PURE_VALUES = '(-spec|-plan|-checks|-catalogue|-report)\\.ts$|/catalogue\\.ts$|/engine\\.ts$|/engines/|/json-diff\\.ts$|/istio-(releases|topology)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles, type-only imports included: a child refers to its parent through the interfaces of constructs/core/tree.ts.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-the-engine',
      severity: 'error',
      comment: 'lib/ holds no domain knowledge: it never imports constructs/, blueprints/, examples/ or the public index.',
      from: { path: '^lib/' },
      to: { path: '^(constructs|blueprints|examples)/|^index\\.ts$' },
    },
    {
      name: 'specs-import-only-specs',
      severity: 'error',
      comment: 'A spec is types and schema: it may use lib/, other specs and catalogue data, never plans, checks, reports or constructs.',
      from: { path: '-spec\\.ts$' },
      to: { path: '^constructs/', pathNot: '-spec\\.ts$|/catalogue\\.ts$|/engine\\.ts$|/engines/|/istio-releases\\.ts$|-catalogue\\.ts$' },
    },
    {
      name: 'pure-layers-reach-no-construct-library',
      severity: 'error',
      comment: 'Specs, plans, checks and catalogues are pure functions of the spec: nothing they import, even for a type, reaches constructs, cdk8s or cdktf.',
      from: { path: '(-spec|-plan|-checks|-catalogue)\\.ts$' },
      to: { path: CONSTRUCT_LIBRARIES, reachable: true },
    },
    {
      name: 'plans-and-checks-do-not-read-reports',
      severity: 'error',
      from: { path: '(-spec|-plan|-checks)\\.ts$' },
      to: { path: '-report\\.ts$' },
    },
    {
      name: 'reports-read-views',
      severity: 'error',
      comment:
        'A report section takes values from specs, plans and other reports only; the construct tree it reads through interfaces (type-only imports, core/tree.ts).',
      from: { path: '-report\\.ts$' },
      to: { path: '^constructs/', pathNot: PURE_VALUES, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'reports-import-no-construct-library',
      severity: 'error',
      from: { path: '-report\\.ts$' },
      to: { path: CONSTRUCT_LIBRARIES, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-the-fleet-writes-reports',
      severity: 'error',
      comment: 'Constructs never call a report: the Fleet writes every report after the tree is complete.',
      from: { path: '^constructs/', pathNot: '-report\\.ts$|^constructs/core/fleet\\.ts$' },
      to: { path: '-report\\.ts$' },
    },
    {
      name: 'children-refer-to-parents-by-interface',
      severity: 'error',
      comment: 'core/tree.ts is the contract of the construct tree: it imports types only, and no construct class.',
      from: { path: '^constructs/core/tree\\.ts$' },
      to: { path: '^constructs/', pathNot: PURE_VALUES + '|/cluster-stack\\.ts$|/escape-hatch\\.ts$' },
    },
    {
      name: 'examples-use-the-public-api',
      severity: 'error',
      comment: 'Examples are what a user writes: they import the package index only.',
      from: { path: '^examples/', pathNot: '^examples/run\\.ts$' },
      to: { path: '^(constructs|lib|blueprints)/' },
    },
    {
      name: 'cdktf-through-one-module',
      severity: 'error',
      comment:
        "Every cdktf import goes through lib/cdktf.ts, so a move to a maintained fork is one file. The bench's hand-written program (bench/hand-written.js) is the plain cdktf program the library is measured against.",
      from: { pathNot: '^lib/cdktf\\.ts$|^bench/hand-written\\.js$' },
      to: { path: '^node_modules/cdktf/' },
    },
    {
      name: 'provider-resources-from-deep-paths',
      severity: 'error',
      comment: 'Import provider resources from their deep path (@cdktf/provider-kubernetes/lib/namespace-v1), never the package index.',
      from: {},
      to: { path: '^node_modules/@cdktf/provider-[a-z]+/lib/index\\.js$' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'test/tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|out)/' },
  },
};
