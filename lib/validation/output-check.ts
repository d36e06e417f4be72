import type { Problem } from '../errors';
import { readBundledCrds } from './bundled-crds';
import type { ManifestValidator } from './manifest-validator';

/** One manifest file as it will be written: its path under the output root and its objects, in order. */
export interface ManifestFile {
  readonly file: string;
  readonly objects: readonly unknown[];
}

let shared: ManifestValidator | undefined;

/**
 * Checks every object against the Kubernetes schemas (kubernetes-models) and the bundled CRDs, as
 * `kubectl apply` with strict field validation would. A problem's path names the file, the
 * document, the object and the field: `manifests/changsha/gov/education.yaml#2 Deployment/enrolment: spec.replicas`.
 */
export function manifestSchemaProblems(files: readonly ManifestFile[]): Problem[] {
  const validator = synthManifestValidator();
  return files.flatMap(({ file, objects }) =>
    objects.flatMap((object, document) =>
      validator.validateObject(object, { file, document }).map((problem) => ({
        path: `${file}#${document} ${problem.kind || '<no kind>'}/${problem.name || '<no name>'}${problem.path ? `: ${problem.path}` : ''}`,
        message: problem.message,
      })),
    ),
  );
}

/**
 * One validator per process, made on first use: ajv, the kind modules and 2 MB of CRDs load only
 * when something is synthesized (building and checking a fleet never pays for them), and each
 * kind's schema is compiled once for every later synth.
 */
export function synthManifestValidator(): ManifestValidator {
  if (!shared) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    const { ManifestValidator: Validator } = require('./manifest-validator') as typeof import('./manifest-validator');
    shared = new Validator({ crdDocuments: readBundledCrds() });
  }
  return shared;
}
