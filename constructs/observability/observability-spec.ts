import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { parseDuration, parsePrometheusDuration } from '../../lib/duration';

// Cross-cloud observability (white paper 2.2.1, 4.3, 5.1.3 and 5.2): a monitoring stack on every
// cluster that remote-writes to the province's hub, metrics and SLOs in the workload standard,
// alerts that fire before a failure, and every alert owned by the side that can fix it.

/** A Secret key reference: credentials are never synthesized. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** Where Alertmanager sends one owner's alerts: a webhook, or e-mail. Exactly one of the two. */
export interface AlertReceiverSpec {
  readonly name: string;
  /** An HTTP(S) endpoint Alertmanager posts the alerts to (a duty system, a chat bot). */
  readonly webhook?: {
    /** The URL, when it holds no token. */
    readonly url?: string;
    /** The URL from an existing Secret, when it holds a token. */
    readonly urlSecret?: SecretKeyRef;
  };
  /** E-mail through the bureau's relay; the password is a reference to an existing Secret. */
  readonly email?: {
    readonly to: string;
    readonly from: string;
    /** `host:port` of the SMTP relay. */
    readonly smarthost: string;
    readonly authUsername?: string;
    readonly authPassword?: SecretKeyRef;
  };
}

/** Where the hub keeps metrics for the long term: a shelf object-storage instance or an external S3 endpoint. */
export interface HubObjectStorageSpec {
  /** An `object-storage` instance of the shelf, installed on the hub cluster. */
  readonly middleware?: string;
  /** An S3-compatible bucket outside the cluster. */
  readonly external?: {
    readonly endpoint: string;
    readonly bucket: string;
    /** @default "us-east-1" */
    readonly region?: string;
    /** An existing Secret in the hub's monitoring namespace holding Thanos' objstore configuration. */
    readonly configSecret: SecretKeyRef;
  };
}

/** The province's observability hub: Thanos (receive, query, store, compact) and Grafana. */
export interface ObservabilityHubSpec {
  /** The region whose cluster runs the hub. */
  readonly region: string;
  /** A gov cluster of that region. @default the region's first gov cluster */
  readonly cluster?: string;
  /**
   * Where every cluster's Prometheus remote-writes: the hub's Thanos Receive as published to the
   * other clouds (a load balancer or private link), `https://` only.
   */
  readonly remoteWriteUrl: string;
  readonly objectStorage: HubObjectStorageSpec;
  /** How long the hub keeps raw samples, 5-minute and 1-hour downsamples. @default { raw: "30d", fiveMinutes: "180d", oneHour: "2y" } */
  readonly retention?: { readonly raw?: string; readonly fiveMinutes?: string; readonly oneHour?: string };
}

/** Each cluster's own Prometheus. */
export interface ClusterPrometheusSpec {
  /**
   * Local retention; the hub keeps the long term. The SLO burn-rate alerts run here, so paging
   * does not depend on the link to the hub: they read windows of up to 3 days. @default "4d"
   */
  readonly retention?: string;
  /** @default "30s" */
  readonly scrapeInterval?: string;
  /** @default { cpu: "1", memory: "4Gi" } */
  readonly resources?: { readonly cpu: string | number; readonly memory: string | number };
}

/** Thresholds of the alerts that fire while there is still time to act (white paper 5.2). */
export interface EarlyWarningSpec {
  /** A burst link's government side above this share of its replica ceiling. @default 80 */
  readonly burstCeilingPercent?: number;
  /** A department above this share of its CPU or memory quota. @default 85 */
  readonly quotaPercent?: number;
  /** A volume that fills within this time at its current rate. @default "24h" */
  readonly diskFullWithin?: string;
  /** A gateway certificate that expires within this time. @default "14d" */
  readonly certificateExpiresWithin?: string;
  /** Replication lag or backup age above this share of the DR pair's RPO. @default 50 */
  readonly rpoPercent?: number;
}

/** Cross-cloud observability for every region. */
export interface ObservabilitySpec {
  readonly hub: ObservabilityHubSpec;
  /** @default the values in ClusterPrometheusSpec */
  readonly prometheus?: ClusterPrometheusSpec;
  /** Receivers of the data bureau, which owns infrastructure and platform alerts. */
  readonly dataBureauReceivers: readonly AlertReceiverSpec[];
  /** @default the values in EarlyWarningSpec */
  readonly earlyWarning?: EarlyWarningSpec;
}

/** A service's metrics endpoint: scraped by a ServiceMonitor in its namespace. */
export interface ServiceMetricsSpec {
  /** Name of one of the service's ports. */
  readonly port: string;
  /** @default "/metrics" */
  readonly path?: string;
  /** @default the cluster Prometheus' scrape interval */
  readonly interval?: string;
  /**
   * The request metrics of a service outside the mesh (inside it, SLIs read Istio's). @default
   * `http_requests_total` with a `code` label and `http_request_duration_seconds` histograms
   */
  readonly requestsTotal?: string;
  /** Label matcher that marks a failed request. @default 'code=~"5.."' */
  readonly errorSelector?: string;
  readonly durationHistogram?: string;
}

/**
 * A service level objective over a rolling window: availability (share of requests that do not
 * fail), or latency (share of requests faster than `latency.threshold`).
 */
export interface SloSpec {
  readonly name: string;
  /** Percent of good requests, strictly between 0 and 100, e.g. 99.9. */
  readonly objective: number;
  /** @default "30d" */
  readonly window?: string;
  /** With it, a latency objective: requests faster than the threshold are good. */
  readonly latency?: { readonly threshold: string };
}

/** The label Alertmanager routes on (who fixes it), its value for the data bureau, and the layer label. */
export const OWNER_LABEL = 'owner';
export const DATA_BUREAU = 'data-bureau';
export const LAYER_LABEL = 'layer';
export type AlertLayer = 'infrastructure' | 'platform' | 'application';

export const DEFAULT_SLO_WINDOW = '30d';
export const DEFAULT_SCRAPE_INTERVAL = '30s';
export const DEFAULT_PROMETHEUS_RETENTION = '4d';
export const DEFAULT_EARLY_WARNING: Required<EarlyWarningSpec> = {
  burstCeilingPercent: 80,
  quotaPercent: 85,
  diskFullWithin: '24h',
  certificateExpiresWithin: '14d',
  rpoPercent: 50,
};
export const DEFAULT_HUB_RETENTION = { raw: '30d', fiveMinutes: '180d', oneHour: '2y' } as const;

// The pipeline's side of the contract: the write-only variables it sets (TF_VAR_<name>).

/**
 * Pipeline variables of every stack: the cluster's client certificate and key for the hub (mutual
 * TLS: Thanos Receive admits only clients its CA signed), and the CA of the hub's certificate.
 */
export const REMOTE_WRITE_VARIABLES = {
  clientCertificate: 'observability_client_certificate',
  clientKey: 'observability_client_key',
  hubCa: 'observability_hub_ca_certificate',
} as const;

/** Pipeline variables of the hub's stack. */
export const HUB_VARIABLES = {
  /** Thanos' objstore configuration (YAML) for a shelf bucket: endpoint, bucket, access and secret key. */
  objstoreConfig: 'observability_objstore_config',
  /** Thanos Receive's server certificate and key (PEM), for the remote-write port. */
  receiveCertificate: 'observability_receive_certificate',
  receiveKey: 'observability_receive_key',
  /** The CA that signs the clusters' client certificates (PEM): Receive admits no one else. */
  clientCa: 'observability_client_ca_certificate',
  grafanaAdminPassword: 'observability_grafana_admin_password',
} as const;

const secretKeyRefSchema = s.object<SecretKeyRef>({ name: s.name(), key: s.string() }, { title: 'a Secret key reference' });

function checkReceiver(receiver: AlertReceiverSpec, path: string, problems: Problems): void {
  if ((receiver.webhook === undefined) === (receiver.email === undefined)) problems.add(path, 'set exactly one of webhook or email');
  const hook = receiver.webhook;
  if (hook && (hook.url === undefined) === (hook.urlSecret === undefined)) problems.add(`${path}.webhook`, 'set exactly one of url or urlSecret');
  if (hook?.url !== undefined && /[?&](token|key|secret|access_token)=/i.test(hook.url)) {
    problems.add(`${path}.webhook.url`, 'the URL carries a credential; put the whole URL in a Secret and reference it with urlSecret: { name, key }');
  }
}

export const alertReceiverSchema = s.object<AlertReceiverSpec>(
  {
    name: s.name('Receiver name, unique per owner.'),
    webhook: s
      .object<NonNullable<AlertReceiverSpec['webhook']>>(
        {
          url: s.string({ pattern: { regex: /^https?:\/\/[^\s]+$/, meaning: 'an http(s) URL' } }).optional(),
          urlSecret: secretKeyRefSchema.optional(),
        },
        { title: 'a webhook receiver' },
      )
      .optional(),
    email: s
      .object<NonNullable<AlertReceiverSpec['email']>>(
        {
          to: s.string({ pattern: { regex: /^[^\s@]+@[^\s@]+$/, meaning: 'an e-mail address' } }),
          from: s.string({ pattern: { regex: /^[^\s@]+@[^\s@]+$/, meaning: 'an e-mail address' } }),
          smarthost: s.string({ pattern: { regex: /^[a-z0-9.-]+:[0-9]{1,5}$/, meaning: 'host:port of an SMTP relay' } }),
          authUsername: s.string().optional(),
          authPassword: secretKeyRefSchema.optional(),
        },
        { title: 'an e-mail receiver' },
      )
      .optional(),
  },
  { title: 'an alert receiver', rules: [checkReceiver] },
);

const percent = (description: string) => s.number({ above: 0, below: 100, description });

function checkHub(hub: ObservabilityHubSpec, path: string, problems: Problems): void {
  const storage = hub.objectStorage;
  if ((storage.middleware === undefined) === (storage.external === undefined)) {
    problems.add(
      `${path}.objectStorage`,
      'set exactly one of middleware (an object-storage instance of the shelf on the hub cluster) or external: { endpoint, bucket, configSecret }',
    );
  }
}

export const observabilitySchema = s.object<ObservabilitySpec>(
  {
    hub: s.object<ObservabilityHubSpec>(
      {
        region: s.name('The region whose cluster runs the hub.'),
        cluster: s.name('A gov cluster of that region.').optional(),
        remoteWriteUrl: s.string({
          description: "The hub's Thanos Receive as the clusters reach it.",
          pattern: { regex: /^https:\/\/[a-z0-9.-]+(:[0-9]{1,5})?(\/[^\s]*)?$/, meaning: 'an https:// URL (remote write crosses clouds: TLS only)' },
        }),
        objectStorage: s.object<HubObjectStorageSpec>(
          {
            middleware: s.name('An object-storage instance of the shelf.').optional(),
            external: s
              .object<NonNullable<HubObjectStorageSpec['external']>>(
                {
                  endpoint: s.string({ pattern: { regex: /^https?:\/\/[^\s]+$/, meaning: 'an http(s) URL' } }),
                  bucket: s.string(),
                  region: s.string().optional(),
                  configSecret: secretKeyRefSchema,
                },
                { title: 'an external bucket' },
              )
              .optional(),
          },
          { title: "the hub's object storage" },
        ),
        retention: s
          .object<NonNullable<ObservabilityHubSpec['retention']>>(
            { raw: s.prometheusDuration().optional(), fiveMinutes: s.prometheusDuration().optional(), oneHour: s.prometheusDuration().optional() },
            { title: "the hub's retention" },
          )
          .optional(),
      },
      { title: 'the observability hub', rules: [checkHub] },
    ),
    prometheus: s
      .object<ClusterPrometheusSpec>(
        {
          retention: s.prometheusDuration('Local retention.').optional(),
          scrapeInterval: s.duration().optional(),
          resources: s
            .object<{ readonly cpu: string | number; readonly memory: string | number }>({ cpu: s.quantity(), memory: s.quantity() }, { title: 'resources' })
            .optional(),
        },
        { title: "each cluster's Prometheus" },
      )
      .optional(),
    dataBureauReceivers: s.namedList(alertReceiverSchema, 'Receivers of infrastructure and platform alerts.'),
    earlyWarning: s
      .object<EarlyWarningSpec>(
        {
          burstCeilingPercent: percent('Burst government side, percent of its ceiling.').optional(),
          quotaPercent: percent('Department quota use, percent.').optional(),
          diskFullWithin: s.prometheusDuration().optional(),
          certificateExpiresWithin: s.prometheusDuration().optional(),
          rpoPercent: percent('Replication lag or backup age, percent of the RPO.').optional(),
        },
        { title: 'early warnings' },
      )
      .optional(),
  },
  { title: 'cross-cloud observability' },
);

export const serviceMetricsSchema = s.object<ServiceMetricsSpec>(
  {
    port: s.string({ description: 'Name of one of the service ports.' }),
    path: s.string({ pattern: { regex: /^\/[^\s]*$/, meaning: 'an HTTP path such as "/metrics"' } }).optional(),
    interval: s.duration().optional(),
    requestsTotal: s.string({ pattern: { regex: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, meaning: 'a Prometheus metric name' } }).optional(),
    errorSelector: s.string({ pattern: { regex: /^[a-zA-Z_][a-zA-Z0-9_]*(=|!=|=~|!~)"[^"]*"$/, meaning: 'one label matcher such as code=~"5.."' } }).optional(),
    durationHistogram: s.string({ pattern: { regex: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, meaning: 'a Prometheus metric name' } }).optional(),
  },
  { title: 'a metrics endpoint' },
);

/** The longest SLO window: 30 days of 5m evaluations is what the burn-rate windows are tuned for. */
function checkSlo(slo: SloSpec, path: string, problems: Problems): void {
  const window = parsePrometheusDuration(slo.window ?? DEFAULT_SLO_WINDOW);
  if (typeof window === 'number' && window < 3 * 24 * 3600) {
    problems.add(
      `${path}.window`,
      `${JSON.stringify(slo.window)} is shorter than the 3-day window of the slowest burn-rate alert; use at least "3d" (the SRE workbook tunes the alerts for "30d")`,
    );
  }
  const threshold = slo.latency ? parseDuration(slo.latency.threshold) : undefined;
  if (typeof threshold === 'number' && threshold <= 0)
    problems.add(`${path}.latency.threshold`, `${JSON.stringify(slo.latency!.threshold)} must be more than zero`);
}

export const sloSchema = s.object<SloSpec>(
  {
    name: s.name('Objective name, e.g. "availability".'),
    objective: percent('Percent of good requests, e.g. 99.9.'),
    window: s.prometheusDuration('Rolling window.').optional(),
    latency: s
      .object<{ readonly threshold: string }>({ threshold: s.duration('Requests faster than this are good.') }, { title: 'a latency objective' })
      .optional(),
  },
  { title: 'a service level objective', rules: [checkSlo] },
);

/** The good-request share as a fraction, e.g. 99.9 -> 0.999. */
export function sloTarget(slo: SloSpec): number {
  return slo.objective / 100;
}
