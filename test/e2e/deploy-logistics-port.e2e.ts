/**
 * The logistics-port example's government cloud (the mesh: Istio traffic policy objects, canary
 * tracks, caller policies) deployed to a real API server with the Istio CRDs installed.
 */
import * as path from 'path';
import { describeDeployment } from './support/deployment';
import { REPO_ROOT } from './support/synth';

// The example's own blueprint and overrides, from the built example.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const example = require(path.join(REPO_ROOT, 'dist', 'examples', 'logistics-port', 'logistics-port.js')) as typeof import('../../examples/logistics-port/logistics-port');

describeDeployment({
  title: 'example logistics-port, changsha/gov',
  target: (kubeconfig, stateDirectory) => ({
    blueprint: example.meshedBlueprint,
    region: 'changsha',
    overrides: example.changshaPort,
    source: 'examples/logistics-port',
    cluster: 'gov',
    kubeconfig,
    stateDirectory,
  }),
  installedElsewhere: { velero: 'Velero (the middleware backups need it, README "Backups")' },
});
