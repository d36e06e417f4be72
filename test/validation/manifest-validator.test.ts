import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { formatManifestProblems, type ManifestProblem, ManifestValidator } from '../../lib/validation/manifest-validator';

const CRD_DIRECTORY = path.resolve(__dirname, '../../../shared/crds');
const FIXTURES = path.resolve(__dirname, '../fixtures/manifests');

type Manifest = Record<string, any>;

/** The documents of a fixture file, freshly parsed so each test may change its copy. */
function fixtureDocuments(file: string): Manifest[] {
  const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJS() as Manifest);
}

function fixtureObject(file: string, kind: string): Manifest {
  const object = fixtureDocuments(file).find((document) => document.kind === kind);
  if (!object) throw new Error(`${file} has no ${kind}`);
  return object;
}

/** Only the parts a test asserts on: where and what. */
function findings(problems: readonly ManifestProblem[]): Array<{ path: string; message: string }> {
  return problems.map(({ path: problemPath, message }) => ({ path: problemPath, message }));
}

// Reading all CRDs takes most of a second: share one validator.
const validator = new ManifestValidator({ crdDirectories: [CRD_DIRECTORY] });

describe('built-in kinds', () => {
  const validObjects = fixtureDocuments('builtin-valid.yaml');

  test('the valid fixture covers the kinds the blueprint synthesizes', () => {
    expect(validObjects.map((object) => `${object.apiVersion} ${object.kind}`)).toEqual(
      expect.arrayContaining([
        'apps/v1 Deployment',
        'v1 Service',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'policy/v1 PodDisruptionBudget',
        'networking.k8s.io/v1 NetworkPolicy',
        'v1 ResourceQuota',
      ]),
    );
  });

  test.each(validObjects.map((object) => [`${object.apiVersion} ${object.kind}`, object]))('a valid %s passes', (_name, object) => {
    expect(validator.validateObject(object)).toEqual([]);
  });

  test('fails an unknown field in a container, naming its full path', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.template.spec.containers[0].bogus = 1;

    expect(findings(validator.validateObject(deployment))).toEqual([
      {
        path: 'spec.template.spec.containers[0].bogus',
        message: expect.stringMatching(/^unknown field "bogus"; known fields: args, command, env, .*image/),
      },
    ]);
  });

  test('fails an unknown field directly under spec', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.foo = 'bar';

    expect(findings(validator.validateObject(deployment))).toEqual([
      {
        path: 'spec.foo',
        message: expect.stringContaining('unknown field "foo"; known fields: minReadySeconds, paused'),
      },
    ]);
  });

  test('suggests the known field an unknown one is a typo of', () => {
    const service = fixtureObject('builtin-valid.yaml', 'Service');
    service.spec.ports[0].protocl = 'TCP';

    expect(findings(validator.validateObject(service))).toEqual([
      {
        path: 'spec.ports[0].protocl',
        message: 'unknown field "protocl"; did you mean "protocol"?',
      },
    ]);
  });

  test('fails a wrong type, showing the value', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.replicas = '3';

    expect(findings(validator.validateObject(deployment))).toEqual([{ path: 'spec.replicas', message: 'must be integer, got string "3"' }]);
  });

  test('fails a Deployment without spec.selector', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    delete deployment.spec.selector;

    expect(findings(validator.validateObject(deployment))).toEqual([{ path: 'spec.selector', message: 'required field is missing' }]);
  });

  test('fails a container without a name', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    delete deployment.spec.template.spec.containers[0].name;

    expect(findings(validator.validateObject(deployment))).toEqual([{ path: 'spec.template.spec.containers[0].name', message: 'required field is missing' }]);
  });

  test('fails a value outside an enum, listing the allowed values', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';

    expect(findings(validator.validateObject(deployment))).toEqual([
      {
        path: 'spec.template.spec.containers[0].imagePullPolicy',
        message: 'must be one of "Always", "IfNotPresent", "Never", got string "Sometimes"',
      },
    ]);
  });

  test('accepts any label key but fails a label value that is not a string', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.metadata.labels['gov.example/any-key'] = 'fine';
    deployment.metadata.labels['app.kubernetes.io/version'] = 2;

    expect(findings(validator.validateObject(deployment))).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/version"]', message: 'must be string, got number 2' },
    ]);
  });

  test('fails an int-or-string field holding neither', () => {
    const pdb = fixtureObject('builtin-valid.yaml', 'PodDisruptionBudget');
    pdb.spec.maxUnavailable = true;

    expect(findings(validator.validateObject(pdb))).toEqual([{ path: 'spec.maxUnavailable', message: 'must be string or integer, got boolean true' }]);
  });

  test('fails a quantity that does not parse', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.template.spec.containers[0].resources.limits.memory = '512 megabytes';

    expect(findings(validator.validateObject(deployment))).toEqual([
      {
        path: 'spec.template.spec.containers[0].resources.limits.memory',
        message: 'must be a valid quantity, got string "512 megabytes"',
      },
    ]);
  });

  test('reports every problem of an object at once', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.replicas = '3';
    deployment.spec.template.spec.containers[0].bogus = 1;

    expect(findings(validator.validateObject(deployment)).map((finding) => finding.path)).toEqual(['spec.replicas', 'spec.template.spec.containers[0].bogus']);
  });

  test('leaves the object it checks untouched', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.foo = 'bar';
    const before = JSON.stringify(deployment);

    validator.validateObject(Object.freeze(deployment));

    expect(JSON.stringify(deployment)).toBe(before);
  });
});

describe('objects checked as the JSON the API server receives', () => {
  // Objects that already are JSON data are checked as they are; every other one as its JSON copy.
  const withUnknownField = (): Manifest => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.template.spec.containers[0].bogus = 1;
    return deployment;
  };
  const expected = findings(validator.validateObject(withUnknownField()));

  test('an object shared by two fields (a YAML alias) is reported at each', () => {
    const deployment = withUnknownField();
    const [container] = deployment.spec.template.spec.containers;
    deployment.spec.template.spec.initContainers = [container];

    expect(findings(validator.validateObject(deployment)).map((finding) => finding.path)).toEqual([
      'spec.template.spec.containers[0].bogus',
      'spec.template.spec.initContainers[0].bogus',
    ]);
  });

  test('a frozen object is checked like any other', () => {
    const frozen = (value: unknown): unknown => {
      if (typeof value === 'object' && value !== null) Object.values(value).forEach(frozen);
      return Object.freeze(value);
    };
    expect(findings(validator.validateObject(frozen(withUnknownField())))).toEqual(expected);
  });

  test('a read-only field holding an object is checked like any other', () => {
    const deployment = withUnknownField();
    const { template } = deployment.spec;
    delete deployment.spec.template;
    Object.defineProperty(deployment.spec, 'template', { value: template, enumerable: true, writable: false, configurable: false });

    expect(findings(validator.validateObject(deployment))).toEqual(expected);
  });

  test('what JSON leaves out is not there: undefined, functions and non-enumerable fields', () => {
    const deployment = withUnknownField();
    deployment.spec.paused = undefined;
    deployment.spec.template.spec.containers[0].toString = () => 'a function is no field';
    Object.defineProperty(deployment.spec.template.spec.containers[0], 'hidden', { value: 1, enumerable: false });

    expect(findings(validator.validateObject(deployment))).toEqual(expected);
  });

  test('what JSON turns into null is null: a hole in a list, NaN', () => {
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.template.spec.containers[0].args = ['--port', , NaN]; // eslint-disable-line no-sparse-arrays

    expect(findings(validator.validateObject(deployment))).toEqual([
      { path: 'spec.template.spec.containers[0].args[1]', message: 'must be string, got null' },
      { path: 'spec.template.spec.containers[0].args[2]', message: 'must be string, got null' },
    ]);
  });

  test('a class instance is checked as its JSON', () => {
    class Replicas {
      constructor(private readonly count: number) {}
      toJSON(): number {
        return this.count;
      }
    }
    const deployment = fixtureObject('builtin-valid.yaml', 'Deployment');
    deployment.spec.replicas = new Replicas(3);

    expect(validator.validateObject(deployment)).toEqual([]);
  });
});

describe('custom resources', () => {
  const validObjects = fixtureDocuments('crd-valid.yaml');

  test.each(validObjects.map((object) => [`${object.apiVersion} ${object.kind}`, object]))('a valid %s passes', (_name, object) => {
    expect(validator.validateObject(object)).toEqual([]);
  });

  test('a VirtualService passes as v1beta1, which the Istio CRD also serves', () => {
    const virtualService = fixtureObject('crd-valid.yaml', 'VirtualService');
    virtualService.apiVersion = 'networking.istio.io/v1beta1';

    expect(validator.validateObject(virtualService)).toEqual([]);
  });

  test('fails a version the CRD does not serve, naming the served ones', () => {
    const virtualService = fixtureObject('crd-valid.yaml', 'VirtualService');
    virtualService.apiVersion = 'networking.istio.io/v2';

    expect(findings(validator.validateObject(virtualService))).toEqual([
      {
        path: '',
        message: 'no schema for networking.istio.io/v2 VirtualService: its CRD serves only v1, v1alpha3, v1beta1',
      },
    ]);
  });

  test('fails an unknown field in a VirtualService http route', () => {
    const virtualService = fixtureObject('crd-valid.yaml', 'VirtualService');
    virtualService.spec.http[0].bogus = true;

    expect(findings(validator.validateObject(virtualService))).toEqual([
      {
        path: 'spec.http[0].bogus',
        message: expect.stringContaining('unknown field "bogus"; known fields: corsPolicy, delegate'),
      },
    ]);
  });

  test('fails an unknown top-level field', () => {
    const virtualService = fixtureObject('crd-valid.yaml', 'VirtualService');
    virtualService.specs = {};

    expect(findings(validator.validateObject(virtualService))).toEqual([{ path: 'specs', message: 'unknown field "specs"; did you mean "spec"?' }]);
  });

  test('fails a ScaledObject without spec.scaleTargetRef', () => {
    const scaledObject = fixtureObject('crd-valid.yaml', 'ScaledObject');
    delete scaledObject.spec.scaleTargetRef;

    expect(findings(validator.validateObject(scaledObject))).toEqual([{ path: 'spec.scaleTargetRef', message: 'required field is missing' }]);
  });

  test('fails a wrong type in a custom resource, showing the value', () => {
    const virtualService = fixtureObject('crd-valid.yaml', 'VirtualService');
    virtualService.spec.http[1].retries.attempts = 'three';

    expect(findings(validator.validateObject(virtualService))).toEqual([
      { path: 'spec.http[1].retries.attempts', message: 'must be integer, got string "three"' },
    ]);
  });

  test('x-kubernetes-int-or-string accepts an integer or a string and nothing else', () => {
    const scaledObject = fixtureObject('crd-valid.yaml', 'ScaledObject');
    const behavior = { scaleUp: { tolerance: '0.05' }, scaleDown: { tolerance: 0 } };
    scaledObject.spec.advanced = { horizontalPodAutoscalerConfig: { behavior } };
    expect(validator.validateObject(scaledObject)).toEqual([]);

    behavior.scaleUp.tolerance = true as unknown as string;
    expect(findings(validator.validateObject(scaledObject))).toEqual([
      {
        path: 'spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance',
        message: 'must be integer or string, got boolean true',
      },
    ]);
  });

  test('nullable fields accept null; other fields do not', () => {
    const schedule = fixtureObject('crd-valid.yaml', 'Schedule');
    schedule.spec.template.excludedNamespaces = null;
    expect(validator.validateObject(schedule)).toEqual([]);

    schedule.spec.template.ttl = null;
    expect(findings(validator.validateObject(schedule))).toEqual([{ path: 'spec.template.ttl', message: 'must be string, got null' }]);
  });

  test('x-kubernetes-preserve-unknown-fields accepts any content below it', () => {
    const envoyFilter = {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'EnvoyFilter',
      metadata: { name: 'local-rate-limit', namespace: 'istio-system' },
      spec: {
        configPatches: [
          {
            applyTo: 'HTTP_FILTER',
            patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.local_ratelimit', anything: { goes: [1, 'two'] } } },
          },
        ],
      },
    };

    expect(validator.validateObject(envoyFilter)).toEqual([]);
  });

  test('says which mutually exclusive fields are both set', () => {
    const destinationRule = fixtureObject('crd-valid.yaml', 'DestinationRule');
    destinationRule.spec.trafficPolicy.loadBalancer.consistentHash = { httpHeaderName: 'x-user' };

    expect(findings(validator.validateObject(destinationRule))).toEqual([
      {
        path: 'spec.trafficPolicy.loadBalancer',
        message: 'set at most one of simple, consistentHash, backendUtilization; found simple, consistentHash',
      },
    ]);
  });

  test('checks metadata.name and namespace are strings and nothing else of metadata', () => {
    const schedule = fixtureObject('crd-valid.yaml', 'Schedule');
    schedule.metadata.labels = { team: 'ops' };
    schedule.metadata.namespace = 7;

    expect(findings(validator.validateObject(schedule))).toEqual([{ path: 'metadata.namespace', message: 'must be string, got number 7' }]);
  });

  test('gives the same answer every time: CRD schemas are not altered by checking', () => {
    const virtualService = fixtureObject('crd-valid.yaml', 'VirtualService');
    virtualService.spec.http[0].bogus = true;

    const first = validator.validateObject(virtualService);
    expect(new ManifestValidator({ crdDirectories: [CRD_DIRECTORY] }).validateObject(virtualService)).toEqual(first);
    expect(validator.validateObject(virtualService)).toEqual(first);
  });

  test('without CRD directories a custom resource has no schema', () => {
    const virtualService = fixtureObject('crd-valid.yaml', 'VirtualService');

    expect(findings(new ManifestValidator().validateObject(virtualService))).toEqual([
      {
        path: '',
        message: 'no schema for networking.istio.io/v1 VirtualService: install its CRD into crdDirectories',
      },
    ]);
  });

  test('a missing CRD directory fails when the validator is created', () => {
    const missing = path.join(FIXTURES, 'no-such-folder');

    expect(() => new ManifestValidator({ crdDirectories: [missing] })).toThrow(`CRD directory not found: ${missing}`);
  });
});

describe('structural schema details (fixture CRD)', () => {
  const widgets = new ManifestValidator({ crdDirectories: [path.join(FIXTURES, 'crds')] });
  const widget = (template: object): Manifest => ({
    apiVersion: 'gov.example/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec: { template },
  });

  test('an embedded resource accepts apiVersion, kind and any metadata besides its declared fields', () => {
    const template = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } }, spec: { size: 2 } };

    expect(widgets.validateObject(widget(template))).toEqual([]);
  });

  test('an embedded resource still rejects undeclared fields', () => {
    const template = { apiVersion: 'v1', kind: 'ConfigMap', data: {} };

    expect(findings(widgets.validateObject(widget(template)))).toEqual([
      { path: 'spec.template.data', message: 'unknown field "data"; known fields: apiVersion, kind, metadata, spec' },
    ]);
  });

  test('a version marked served: false has no schema; non-CRD documents in CRD files are skipped', () => {
    const object = { ...widget({}), apiVersion: 'gov.example/v1alpha1' };

    expect(findings(widgets.validateObject(object))).toEqual([{ path: '', message: 'no schema for gov.example/v1alpha1 Widget: its CRD serves only v1' }]);
  });
});

describe('objects without a schema or identity', () => {
  test('fails a kind that is neither built in nor a known CRD', () => {
    const widget = { apiVersion: 'gov.example/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} };

    expect(findings(validator.validateObject(widget))).toEqual([
      {
        path: '',
        message: 'no schema for gov.example/v1 Widget: install its CRD into crdDirectories',
      },
    ]);
  });

  test('fails a built-in kind under an apiVersion that does not have it', () => {
    const deployment = { ...fixtureObject('builtin-valid.yaml', 'Deployment'), apiVersion: 'apps/v9' };

    expect(findings(validator.validateObject(deployment))).toEqual([
      {
        path: '',
        message: 'no schema for apps/v9 Deployment: install its CRD into crdDirectories',
      },
    ]);
  });

  test('fails an object without metadata.name', () => {
    const configMap = fixtureObject('builtin-valid.yaml', 'ConfigMap');
    delete configMap.metadata.name;

    expect(findings(validator.validateObject(configMap))).toEqual([{ path: 'metadata.name', message: 'required field is missing' }]);
  });

  test('fails an object without apiVersion and kind, and does not guess a schema', () => {
    const problems = validator.validateObject({ metadata: { name: 'orphan' } });

    expect(findings(problems)).toEqual([
      { path: 'apiVersion', message: 'required field is missing' },
      { path: 'kind', message: 'required field is missing' },
    ]);
    expect(problems[0]).toMatchObject({ apiVersion: '', kind: '', name: 'orphan' });
  });

  test('fails a document that is not a mapping', () => {
    expect(findings(validator.validateObject(['a', 'list']))).toEqual([{ path: '', message: 'expected a Kubernetes object (a mapping), got an array' }]);
  });
});

describe('files and folders', () => {
  test('validateFile reports the file and the 0-based document index of each problem', () => {
    const file = path.join(FIXTURES, 'multi-document.yaml');

    expect(validator.validateFile(file)).toEqual([
      {
        file,
        document: 1,
        apiVersion: 'v1',
        kind: 'Service',
        name: 'worker',
        path: 'spec.ports[0].targetPrt',
        message: 'unknown field "targetPrt"; did you mean "targetPort"?',
      },
      {
        file,
        document: 2,
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'worker',
        path: 'spec.replicas',
        message: 'must be integer, got string "3"',
      },
    ]);
  });

  test('validateFile reports YAML that does not parse', () => {
    const file = path.join(FIXTURES, 'multi-document.yaml');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
    const broken = path.join(folder, 'broken.yaml');
    fs.writeFileSync(broken, `${fs.readFileSync(file, 'utf8')}\n---\nkind: [unclosed\n`);

    const problems = validator.validateFile(broken);
    fs.rmSync(folder, { recursive: true });

    expect(problems.map((problem) => problem.document)).toEqual([1, 2, 3]);
    expect(problems[2].message).toMatch(/^invalid YAML: /);
  });

  test('validateDirectory checks every YAML file in sorted order and skips kustomization.yaml', () => {
    const dir = path.join(FIXTURES, 'app');

    expect(validator.validateDirectory(dir).map((problem) => `${path.relative(dir, problem.file!)} ${problem.path}`)).toEqual([
      'config.yaml data.retries',
      'services/service.yml spec.type',
    ]);
  });
});

describe('formatManifestProblems', () => {
  test('writes one line per problem: file#document kind/name: path: message', () => {
    const text = formatManifestProblems(validator.validateFile(path.join(FIXTURES, 'app/services/service.yml')));

    expect(text).toBe(
      `${path.join(FIXTURES, 'app/services/service.yml')}#0 Service/web: spec.type: ` +
        'must be one of "ClusterIP", "ExternalName", "LoadBalancer", "NodePort", got string "LoadBalancr"',
    );
  });

  test('leaves out what is not known', () => {
    const text = formatManifestProblems([{ apiVersion: 'gov.example/v1', kind: 'Widget', name: '', path: '', message: 'no schema' }]);

    expect(text).toBe('Widget/<no name>: no schema');
  });
});
