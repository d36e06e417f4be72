import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { OUTPUT_MARK, OUTPUT_MARK_CONTENT } from '../../lib/output/staged-output';
import { minimalBlueprint, tempDir } from '../support/fleet-fixtures';
import { ANSI, appProject, cli, ROOT, writeApp, writeFilteringApp } from './cli-support';

describe('govcloud-blueprint --help', () => {
  it('lists the commands, the exit codes and the environment, with exit code 0', () => {
    const run = cli(['--help'], tempDir());
    expect(run.status).toBe(0);
    for (const command of ['synth', 'diff', 'validate', 'graph', 'list']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).toContain('3  diff --fail: there are differences');
    expect(run.stdout).toContain('NO_COLOR');
    expect(run.stdout).toContain('CDKTF_OUTDIR');
  });

  it('with no command, prints the help on stderr with exit code 2', () => {
    const run = cli([], tempDir());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: govcloud-blueprint');
  });
});

describe('usage errors: exit code 2, naming the flag', () => {
  const project = appProject(minimalBlueprint());
  it.each([
    [['synth', '--regoin', 'x'], "unknown option '--regoin'"],
    [['synth', '--region', ','], "option '--region <names>' argument ',' is invalid"],
    [['list', '--region', 'Chang_sha'], '--region: region name "Chang_sha" must be a DNS-1123 label'],
    [['graph', '--format', 'png'], "option '--format <format>' argument 'png' is invalid. Allowed choices are svg, dot"],
    [['graph', '--stdout'], '--stdout prints one picture, but 2 are selected'],
    [['deploy'], "unknown command 'deploy'"],
    [['synth', '--out'], "option '--out <dir>' argument missing"],
  ])('%p', (args, message) => {
    const run = cli([args[0], '--app', 'app.js', ...args.slice(1)], project);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(fs.readdirSync(project)).toEqual(['app.js']);
  });
});

describe('finding the app', () => {
  it('runs --app <file>', () => {
    const project = appProject(minimalBlueprint(), ['changsha', 'xiangtan']);
    const run = cli(['list', '--app', 'app.js'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('region changsha\n  cluster gov  stack changsha-gov\nregion xiangtan\n  cluster gov  stack xiangtan-gov\n');
  });

  it("runs cdktf.json's app when it is `node <file>.js`", () => {
    const project = appProject(minimalBlueprint());
    fs.writeFileSync(path.join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'npx tsc && node app.js', output: 'cdktf.out' }));
    const run = cli(['list', '--stacks'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('changsha-gov\n');
  });

  it('runs the default blueprint where there is no cdktf.json', () => {
    const run = cli(['list', '--stacks'], tempDir());
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('changsha-gov\nchangsha-burst\nzhuzhou-gov\nxiangtan-gov\n');
    expect(run.stderr).toBe('');
  });

  it.each([
    [
      "cdktf's TypeScript template",
      { app: 'npx ts-node main.ts' },
      'its app "npx ts-node main.ts" runs no "node <file>.js", and the command line loads only a built JavaScript file',
      '--app main.js once npx tsc has compiled main.ts',
    ],
    ['no app', { language: 'typescript' }, 'it has no "app"', '--app dist/main.js'],
  ])("refuses a cdktf.json whose app it cannot run (%s) with exit code 2, and leaves that project's output alone", (_what, config, why, example) => {
    const project = tempDir();
    fs.writeFileSync(path.join(project, 'cdktf.json'), JSON.stringify(config));
    // The project's own output, from an earlier synth: a synth of the default blueprint would replace it.
    fs.mkdirSync(path.join(project, 'out'));
    fs.writeFileSync(path.join(project, 'out', OUTPUT_MARK), OUTPUT_MARK_CONTENT);
    fs.writeFileSync(path.join(project, 'out', 'previous.txt'), "the project's own output");
    const run = cli(['synth'], project);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `error: ${path.join(project, 'cdktf.json')}: ${why}, so it cannot run this project's app; pass --app <file.js>, the built JavaScript entry (e.g. ${example}), or set cdktf.json's app to "npx tsc && node <file>.js"\n`,
    );
    expect(fs.readdirSync(path.join(project, 'out')).sort()).toEqual([OUTPUT_MARK, 'previous.txt']);
  });

  it.each([
    [
      'a syntax error',
      'module.exports = (context) => {\n  return 1;\n}}\n',
      /^list failed: app .*broken\.js cannot be loaded: SyntaxError: Unexpected token '\}' \(line 3\); fix the file/,
    ],
    [
      'a missing module',
      "const pad = require('left-pad-not-installed');\nmodule.exports = () => pad;\n",
      /^list failed: app .*broken\.js cannot be loaded: Cannot find module 'left-pad-not-installed' \(line 1\); fix the file \(or install what it requires\)/,
    ],
    [
      'a throw as it loads',
      "const a = 1;\nthrow new TypeError('no fleet today');\n",
      /^list failed: app .*broken\.js cannot be loaded: TypeError: no fleet today \(line 2\); fix the file/,
    ],
  ])('fails on an app with %s with exit code 1 and one line, no stack trace', (_what, source, message) => {
    const project = tempDir();
    fs.writeFileSync(path.join(project, 'broken.js'), source);
    const run = cli(['list', '--app', 'broken.js'], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("refuses a --region name the README's app does not have with exit code 2, listing those it has", () => {
    const project = tempDir();
    writeFilteringApp(project, minimalBlueprint(), ['changsha', 'xiangtan']);
    const unknown = cli(['list', '--app', 'app.js', '--region', 'nowhere'], project);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('error: --region: no region "nowhere" in app app.js; choose from changsha, xiangtan\n');
    const typo = cli(['synth', '--app', 'app.js', '--region', 'xiangtan,changsah'], project);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('error: --region: no region "changsah" in app app.js; did you mean "changsha"? Choose from changsha, xiangtan\n');
    expect(fs.readdirSync(project)).toEqual(['app.js']);
    const known = cli(['list', '--app', 'app.js', '--region', 'xiangtan', '--stacks'], project);
    expect(known.stdout).toBe('xiangtan-gov\n');
  });

  it.each([
    ['a missing file', 'missing.js', /^list failed: app .*missing\.js does not exist; pass --app <file\.js>/],
    ['a file exporting no app', 'empty.js', /^list failed: app .*empty\.js exports neither a Fleet nor a function returning one/],
  ])('fails on %s with exit code 1', (_what, file, message) => {
    const project = tempDir();
    fs.writeFileSync(path.join(project, 'empty.js'), 'module.exports = { answer: 42 };\n');
    const run = cli(['list', '--app', file], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('refuses an app that builds regions --region did not ask for', () => {
    const project = tempDir();
    fs.writeFileSync(
      path.join(project, 'app.js'),
      `const { Fleet } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});\nmodule.exports = () => { const f = new Fleet({ blueprint: ${JSON.stringify(minimalBlueprint())} }); f.addRegions({ changsha: {}, xiangtan: {} }); return f; };\n`,
    );
    const run = cli(['list', '--app', 'app.js', '--region', 'changsha'], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('app app.js built regions xiangtan although --region asked for changsha; add only the regions in context.regions');
  });
});

describe('synth', () => {
  it("writes the app's output root and prints one summary line", () => {
    const project = appProject(minimalBlueprint());
    const run = cli(['synth', '--app', 'app.js', '--out', 'build'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^synthesized 1 stacks, \d+ manifest files and \d+ reports into build\/ in \d+ ms\n$/);
    expect(run.stderr).toBe('');
    expect(fs.readdirSync(path.join(project, 'build', 'terraform', 'stacks'))).toEqual(['changsha-gov']);
    expect(fs.existsSync(path.join(project, 'build', 'manifests', 'changsha', 'gov', 'kustomization.yaml'))).toBe(true);
  });

  it('fails on an invalid spec with exit code 1, naming the spec path, and writes nothing', () => {
    const blueprint: any = minimalBlueprint();
    blueprint.services[0].ports[0].port = 'eighty';
    const project = appProject(blueprint);
    const run = cli(['synth', '--app', 'app.js'], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^synth failed: blueprint "test-blueprint" is invalid \(1 problem\):\n {2}- blueprint\.services\.enrolment\.ports\.http\.port: must be an integer/,
    );
    expect(run.stderr).toContain('Nothing was written.');
    expect(fs.readdirSync(project)).toEqual(['app.js']);
  });
});

describe('the app file as a program (node app.js, cdktf synth)', () => {
  /** Runs `node app.js` as cdktf's CLI does: CDKTF_OUTDIR set to cdktf.json's output, made absolute. */
  function asCdktf(project: string, output: string): void {
    const run = spawnSync('node', ['app.js'], { cwd: project, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: path.join(project, output) } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }

  function stacksOf(manifestJson: string): string[] {
    const manifest = JSON.parse(fs.readFileSync(manifestJson, 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
    for (const stack of Object.values(manifest.stacks)) expect(fs.existsSync(path.join(path.dirname(manifestJson), stack.synthesizedStackPath))).toBe(true);
    return Object.keys(manifest.stacks);
  }

  it('writes cdktf.out/manifest.json under CDKTF_OUTDIR=cdktf.out, where `cdktf list` reads it', () => {
    const project = appProject(minimalBlueprint(), ['changsha', 'xiangtan']);
    asCdktf(project, 'cdktf.out');
    expect(stacksOf(path.join(project, 'cdktf.out', 'manifest.json'))).toEqual(['changsha-gov', 'xiangtan-gov']);
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'manifests', 'changsha', 'gov', 'kustomization.yaml'))).toBe(true);
    expect(fs.readdirSync(project).sort()).toEqual(['app.js', 'cdktf.out']);
  });

  it('keeps the output root above a CDKTF_OUTDIR named terraform (out/terraform)', () => {
    const project = appProject(minimalBlueprint());
    asCdktf(project, path.join('out', 'terraform'));
    expect(stacksOf(path.join(project, 'out', 'terraform', 'manifest.json'))).toEqual(['changsha-gov']);
    expect(fs.readdirSync(path.join(project, 'out')).sort()).toEqual(['.govcloud-output', 'manifests', 'reports', 'terraform']);
  });

  it('shows the help of every command under its own name (node app.js --help)', () => {
    const project = appProject(minimalBlueprint());
    const run = spawnSync('node', ['app.js', '--help'], { cwd: project, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: node app\.js \[options\] \[command\]\n/);
    for (const command of ['synth', 'diff', 'validate', 'graph', 'list']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    const synthHelp = spawnSync('node', ['app.js', 'synth', '--help'], { cwd: project, encoding: 'utf8' });
    expect(synthHelp.stdout).toMatch(/^Usage: node app\.js synth \[options\]\n/);
    expect(fs.readdirSync(project)).toEqual(['app.js']);
  });

  it('takes the command line after it (node app.js list)', () => {
    const project = appProject(minimalBlueprint());
    const run = spawnSync('node', ['app.js', 'list', '--stacks'], { cwd: project, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('changsha-gov\n');
  });
});

describe('validate', () => {
  it('runs every check and writes nothing', () => {
    const project = appProject(minimalBlueprint());
    const run = cli(['validate', '--app', 'app.js'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^valid: 1 region, 1 stack and \d+ manifest files pass every check \(nothing written\)\n$/);
    expect(fs.readdirSync(project)).toEqual(['app.js']);
  });

  it('fails on an image off the mirror with exit code 1, naming the spec path', () => {
    const blueprint: any = minimalBlueprint();
    blueprint.services[0].image = 'docker.io/edu/enrolment';
    const project = appProject(blueprint);
    const run = cli(['validate', '--app', 'app.js'], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^validate failed: .*\n {2}- blueprint\.services\.enrolment\.image: "docker\.io\/edu\/enrolment" is not served by the blueprint's registry mirror/,
    );
    expect(fs.readdirSync(project)).toEqual(['app.js']);
  });
});

describe('diff', () => {
  /** A project synthesized once into out/, then the app changed by `change`. */
  function changed(change: (blueprint: any) => void): string {
    const project = appProject(minimalBlueprint());
    expect(cli(['synth', '--app', 'app.js'], project).status).toBe(0);
    const blueprint: any = minimalBlueprint();
    change(blueprint);
    writeApp(project, blueprint);
    return project;
  }

  function snapshotOf(folder: string): string[] {
    return fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
  }

  it('reports no differences right after a synth, with exit code 0 even with --fail', () => {
    const project = changed(() => {});
    const run = cli(['diff', '--app', 'app.js', '--fail'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('diff: no differences\n');
  });

  it('shows a changed object with the attribute path and values after a one-line change', () => {
    const project = changed((b) => {
      b.services[0].version = '1.0.1';
    });
    const before = snapshotOf(path.join(project, 'out'));
    const run = cli(['diff', '--app', 'app.js'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('region changsha\n');
    expect(run.stdout).toContain('  manifests/changsha/gov\n    ~ Deployment education/enrolment\n');
    expect(run.stdout).toMatch(
      / {8}spec\.template\.spec\.containers\[0\]\.image: "registry\.test\.example\/edu\/enrolment:1\.0\.0" -> "registry\.test\.example\/edu\/enrolment:1\.0\.1"\n/,
    );
    expect(run.stdout).toMatch(
      /\ndiff: 0 added, [1-9]\d* changed, 0 removed in 1 region \(Terraform resources and blocks, Kubernetes objects and kustomizations\)\n$/,
    );
    // The previous output is untouched and nothing is left beside it.
    expect(snapshotOf(path.join(project, 'out'))).toEqual(before);
    expect(fs.readdirSync(project).sort()).toEqual(['app.js', 'out']);
  });

  it('shows added and removed objects, and exits 3 with --fail', () => {
    const project = changed((b) => {
      b.services[0].name = 'admission';
    });
    const run = cli(['diff', '--app', 'app.js', '--fail'], project);
    expect(run.status).toBe(3);
    expect(run.stdout).toContain('    + Deployment education/admission (added)\n');
    expect(run.stdout).toContain('    - Deployment education/enrolment (removed)\n');
    expect(run.stdout).not.toMatch(ANSI);
  });

  it('shows Terraform resources by address, per stack', () => {
    const project = changed((b) => {
      b.departments.push({ name: 'health', quota: { cpu: '4', memory: '8Gi' } });
    });
    const run = cli(['diff', '--app', 'app.js'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/ {2}stack changsha-gov\n(?: {4}.*\n)* {4}\+ kubernetes_namespace_v1\.\S*health\S* \(added\)\n/);
  });

  it('says so when there is no previous output', () => {
    const project = appProject(minimalBlueprint());
    const run = cli(['diff', '--app', 'app.js'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^no previous output in out: everything is new\n/);
    expect(fs.readdirSync(project)).toEqual(['app.js']);
  });
});

describe('graph', () => {
  it('writes a picture per region and the fleet', () => {
    const project = appProject(minimalBlueprint(), ['changsha', 'xiangtan']);
    const run = cli(['graph', '--app', 'app.js', '--out', 'pictures'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('wrote 3 pictures into pictures/: changsha.svg, xiangtan.svg, fleet.svg\n');
    expect(fs.readFileSync(path.join(project, 'pictures', 'changsha.svg'), 'utf8')).toMatch(/^<\?xml|^<svg/);
  });

  it('prints one picture as DOT with --stdout', () => {
    const project = appProject(minimalBlueprint(), ['changsha', 'xiangtan']);
    const run = cli(['graph', '--app', 'app.js', '--fleet', '--format', 'dot', '--stdout'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^digraph "topology\/fleet\/test-blueprint" \{\n/);
    expect(run.stdout).toContain('region changsha');
    expect(run.stdout).toContain('region xiangtan');
    expect(fs.readdirSync(project)).toEqual(['app.js']);
  });

  it('draws only the chosen regions with --region, and only their fleet picture with --region and --fleet', () => {
    const project = appProject(minimalBlueprint(), ['changsha', 'xiangtan']);
    const regionsOnly = cli(['graph', '--app', 'app.js', '--region', 'xiangtan', '--out', 'pictures'], project);
    expect(regionsOnly.stdout).toBe('wrote 1 picture into pictures/: xiangtan.svg\n');
    const fleetOfOne = cli(['graph', '--app', 'app.js', '--region', 'xiangtan', '--fleet', '--format', 'dot', '--stdout'], project);
    expect(fleetOfOne.status).toBe(0);
    expect(fleetOfOne.stdout).toMatch(/^digraph "topology\/fleet\/test-blueprint" \{\n/);
    expect(fleetOfOne.stdout).toContain('region xiangtan');
    expect(fleetOfOne.stdout).not.toContain('region changsha');
  });
});

describe('the default blueprint', () => {
  it('lists its regions, clusters and stacks', () => {
    const run = cli(['list'], tempDir());
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('region changsha\n  cluster gov    stack changsha-gov\n  cluster burst  stack changsha-burst\n');
  });

  it('fails on an unknown --region with the choices, as a usage error (exit code 2)', () => {
    const run = cli(['validate', '--region', 'wuhan'], tempDir());
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: --region: no region "wuhan" in the default blueprint; choose from changsha, zhuzhou, xiangtan\n');
  });
});
