/**
 * Changsha's government cloud (the default blueprint's busiest region: five departments plus the
 * port office, the middleware shelf with RabbitMQ) deployed to a real API server.
 */
import { describeDeployment } from './support/deployment';
import { library } from './support/synth';

const { citizenServices, hunanRegions } = library();

describeDeployment({
  title: 'default blueprint, changsha/gov',
  target: (kubeconfig, stateDirectory) => ({
    blueprint: citizenServices,
    region: 'changsha',
    overrides: hunanRegions().changsha.overrides ?? {},
    cluster: 'gov',
    kubeconfig,
    stateDirectory,
  }),
  installedElsewhere: { velero: 'Velero (the middleware backups need it, README "Backups")' },
});
