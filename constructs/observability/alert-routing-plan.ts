import { type AlertReceiverSpec, DATA_BUREAU, OWNER_LABEL } from './observability-spec';
import { ALERTMANAGER_CONFIG_LABEL } from './monitoring-catalogue';

/**
 * Where kube-prometheus-stack's always-firing `Watchdog` and `InfoInhibitor` go: nowhere. They
 * prove the alert pipeline works (a dead man's switch outside the cluster would watch Watchdog),
 * and would otherwise reach the bureau's duty system every few hours.
 */
const HEARTBEAT_SINK = 'heartbeats';

function receiver(spec: AlertReceiverSpec): Record<string, unknown> {
  const webhook = spec.webhook && { sendResolved: true, ...(spec.webhook.url ? { url: spec.webhook.url } : { urlSecret: spec.webhook.urlSecret }) };
  const email = spec.email && {
    sendResolved: true,
    to: spec.email.to,
    from: spec.email.from,
    smarthost: spec.email.smarthost,
    ...(spec.email.authUsername ? { authUsername: spec.email.authUsername } : {}),
    ...(spec.email.authPassword ? { authPassword: spec.email.authPassword } : {}),
  };
  return { name: spec.name, ...(webhook ? { webhookConfigs: [webhook] } : {}), ...(email ? { emailConfigs: [email] } : {}) };
}

/**
 * One owner's routes (`monitoring.coreos.com/v1alpha1` AlertmanagerConfig): every alert whose
 * `owner` label is `owner` goes to each of its receivers. Alertmanager matches on the label alone
 * (matcher strategy None), so an owner's alerts reach it from whichever namespace they fire in.
 * Secrets a receiver references live in `namespace`.
 */
export function alertmanagerConfig(
  owner: string,
  namespace: string,
  receivers: readonly AlertReceiverSpec[],
  labels: Record<string, string>,
): { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: Record<string, unknown> } {
  const matchers = [{ name: OWNER_LABEL, value: owner, matchType: '=' }];
  return {
    apiVersion: 'monitoring.coreos.com/v1alpha1',
    kind: 'AlertmanagerConfig',
    metadata: { name: `alerts-${owner}`, namespace, labels: { ...labels, [ALERTMANAGER_CONFIG_LABEL.key]: ALERTMANAGER_CONFIG_LABEL.value } },
    spec: {
      route: {
        receiver: receivers[0].name,
        matchers,
        groupBy: ['alertname', 'region', 'cluster', 'service'],
        groupWait: '30s',
        groupInterval: '5m',
        repeatInterval: '4h',
        // Every receiver gets every alert: each child route matches all and continues. The
        // chart's always-firing heartbeats stop first, in a receiver that sends nothing.
        routes: [
          ...(owner === DATA_BUREAU ? [{ receiver: HEARTBEAT_SINK, matchers: [{ name: 'alertname', value: 'Watchdog|InfoInhibitor', matchType: '=~' }] }] : []),
          ...receivers.map((r) => ({ receiver: r.name, continue: true })),
        ],
      },
      receivers: [...(owner === DATA_BUREAU ? [{ name: HEARTBEAT_SINK }] : []), ...receivers.map(receiver)],
    },
  };
}
