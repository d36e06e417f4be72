import type { Json } from '../../../lib/compliance/compliance-rule';
import type { FixtureObjects, RuleFixture } from '../../support/compliance-fixtures';

// One passing and one failing set of objects per platform rule, built from the shapes the library
// writes: manifests in camelCase, Terraform bodies as cdktf writes them (snake_case, references
// to the namespace resource). The fixture cluster is gov, production, with department `education`.

export type TerraformFixture = NonNullable<FixtureObjects['terraform']>[number];

export const DEPARTMENT = 'education';
const NAMESPACE_RESOURCE = `${DEPARTMENT}_namespace_F8846ED0`;
/** The namespace as cdktf references it from the department's other resources. */
export const NAMESPACE_REF = `\${kubernetes_namespace_v1.${NAMESPACE_RESOURCE}.metadata[0].name}`;

export function tfNamespace(labels: Record<string, string> = { 'pod-security.kubernetes.io/enforce': 'restricted' }, name = DEPARTMENT): TerraformFixture {
  return { type: 'kubernetes_namespace_v1', name: name === DEPARTMENT ? NAMESPACE_RESOURCE : `${name}_namespace`, body: { metadata: { name, labels } } };
}

/** A resource of the department's namespace: `kubernetes_<stem>_v1.<name>`. */
export function tf(stem: string, name: string, body: Json, metadata: Json = {}): TerraformFixture {
  return { type: `kubernetes_${stem}_v1`, name, body: { metadata: { name, namespace: NAMESPACE_REF, ...metadata }, ...body } };
}

export function manifest(apiVersion: string, kind: string, name: string, body: Json, namespace: string | null = DEPARTMENT): Json {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...body };
}

export function tfDenyAll(types: string[] = ['Ingress', 'Egress']): TerraformFixture {
  return tf('network_policy', 'deny-all', { spec: { pod_selector: {}, policy_types: types } });
}

export function networkPolicy(name: string, spec: Json): Json {
  return manifest('networking.k8s.io/v1', 'NetworkPolicy', name, { spec });
}

const POD_LABELS = { 'app.kubernetes.io/name': 'enrolment', 'govcloud.io/department': DEPARTMENT };

/** A Deployment of the department, restricted-style, with the given pod spec and template labels added. */
export function deployment(spec: Json = {}, podSpec: Json = {}, templateLabels: Record<string, string> = {}): Json {
  return manifest('apps/v1', 'Deployment', 'enrolment', {
    spec: {
      selector: { matchLabels: POD_LABELS },
      template: {
        metadata: { labels: { ...POD_LABELS, ...templateLabels } },
        spec: { containers: [{ name: 'enrolment', image: 'harbor.gov.example/mirror/enrolment:1.6.2' }], ...podSpec },
      },
      ...spec,
    },
  });
}

const SPREAD = {
  topologySpreadConstraints: [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: POD_LABELS } },
  ],
};

const pdb = (matchLabels: Record<string, string> = POD_LABELS) =>
  manifest('policy/v1', 'PodDisruptionBudget', 'enrolment', { spec: { maxUnavailable: 1, selector: { matchLabels } } });

export function helmRelease(name: string, chart: string, values: string[], namespace = 'monitoring', extra: Json = {}): TerraformFixture {
  return { type: 'helm_release', name: `${name}_release`, body: { name, chart, namespace, values, ...extra } };
}

function gateway(servers: Json[]): Json {
  return manifest('networking.istio.io/v1', 'Gateway', 'enrolment', { spec: { selector: { istio: 'ingressgateway' }, servers } });
}

const HTTPS_SERVER = {
  hosts: ['enrol.example'],
  port: { name: 'https', number: 443, protocol: 'HTTPS' },
  tls: { mode: 'SIMPLE', credentialName: 'enrol-tls' },
};

const peerAuthentication = (mode: string, namespace = 'istio-system') =>
  manifest('security.istio.io/v1', 'PeerAuthentication', 'default', { spec: { mtls: { mode } } }, namespace);

const allowNothing = manifest('security.istio.io/v1', 'AuthorizationPolicy', 'allow-nothing', { spec: {} });

function cnpgCluster(sslmode?: string): Json {
  return manifest(
    'postgresql.cnpg.io/v1',
    'Cluster',
    'settlement-db-replica',
    {
      spec: {
        instances: 3,
        replica: { enabled: true, source: 'primary' },
        externalClusters: [{ name: 'primary', connectionParameters: { host: 'pg.gov.example', user: 'repl_user', ...(sslmode ? { sslmode } : {}) } }],
      },
    },
    'middleware',
  );
}

/** A shelf instance as the library writes it: the release and its credentials Secret labelled with the instance. */
export function shelfInstance(name = 'citizen-db'): TerraformFixture[] {
  return [
    { type: 'kubernetes_namespace_v1', name: 'middleware_namespace', body: { metadata: { name: 'middleware' } } },
    helmRelease(name, 'postgresql', ['primary:\n  persistence:\n    enabled: true\n'], '${kubernetes_namespace_v1.middleware_namespace.metadata[0].name}'),
    {
      type: 'kubernetes_secret_v1',
      name: `${name}_credentials`,
      body: {
        metadata: {
          name: `${name}-credentials`,
          namespace: '${kubernetes_namespace_v1.middleware_namespace.metadata[0].name}',
          labels: { 'govcloud.io/middleware': name },
        },
        data_wo: { password: `\${var.middleware_${name.replace(/-/g, '_')}_password}` },
        data_wo_revision: 1,
      },
    },
  ];
}

export function veleroSchedule(schedule: string, template: Json = {}): Json {
  return manifest(
    'velero.io/v1',
    'Schedule',
    'middleware-citizen-db',
    {
      spec: {
        schedule,
        template: {
          includedNamespaces: ['middleware'],
          labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'citizen-db' } },
          ttl: '168h0m0s',
          ...template,
        },
      },
    },
    'velero',
  );
}

export function backupLocation(s3Url: string, extra: Json = {}): Json {
  return manifest(
    'velero.io/v1',
    'BackupStorageLocation',
    'offsite',
    {
      spec: {
        provider: 'aws',
        default: true,
        accessMode: 'ReadWrite',
        objectStorage: { bucket: 'backups' },
        config: { s3Url, region: 'cn-central-221' },
        ...extra,
      },
    },
    'velero',
  );
}

/** A department StatefulSet with a volume claim template: state the library never writes there. */
export function records(labels: Record<string, string> = {}): Json {
  return manifest('apps/v1', 'StatefulSet', 'records', {
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'records' } },
      template: {
        metadata: { labels: { app: 'records', ...labels } },
        spec: { containers: [{ name: 'records', image: 'harbor.gov.example/mirror/records:1.0.0' }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
    },
  });
}

/** A DR pair's Schedule: whole namespaces, no label selector. */
export const departmentSchedule = (): Json =>
  manifest(
    'velero.io/v1',
    'Schedule',
    'dr-pair',
    { spec: { schedule: '*/5 * * * *', template: { includedNamespaces: [DEPARTMENT, 'middleware'] } } },
    'velero',
  );

const thanos = (retention: string) => helmRelease('thanos', 'thanos', [`compactor:\n  enabled: true\n${retention}`, 'query:\n  enabled: true\n'], 'monitoring');

const kubePrometheusStack = (prometheusSpec: string) =>
  helmRelease('kube-prometheus-stack', 'kube-prometheus-stack', [`prometheus:\n  prometheusSpec:\n${prometheusSpec}`]);

const role = (verbs: string[], resources: string[] = ['pods'], apiGroups: string[] = ['']) =>
  manifest('rbac.authorization.k8s.io/v1', 'Role', 'education-admin', { rules: [{ apiGroups, resources, verbs }] });

export const PLATFORM_FIXTURES: RuleFixture[] = [
  {
    rule: 'GCB-NET-01',
    passing: { terraform: [tfNamespace(), tfDenyAll()] },
    failing: {
      terraform: [
        tfNamespace(),
        tf('network_policy', 'allow-same-namespace', { spec: { pod_selector: {}, policy_types: ['Ingress'], ingress: [{ from: [{ pod_selector: {} }] }] } }),
      ],
    },
    failingMessage: 'no default-deny NetworkPolicy for ingress and egress',
  },
  {
    rule: 'GCB-NET-02',
    passing: {
      manifests: [
        networkPolicy('allow-same-namespace', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }),
        networkPolicy('allow-cross-network', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 15443, protocol: 'TCP' }] }] }),
      ],
    },
    failing: { terraform: [tfNamespace(), tf('network_policy', 'allow-all', { spec: { pod_selector: {}, policy_types: ['Ingress'], ingress: [{}] } })] },
    failingMessage: 'admits every peer on every port',
  },
  {
    rule: 'GCB-NET-03',
    passing: { manifests: [manifest('v1', 'Service', 'enrolment', { spec: { type: 'ClusterIP', ports: [{ port: 80 }] } })] },
    failing: { terraform: [tfNamespace(), tf('service', 'enrolment', { spec: { type: 'LoadBalancer', port: [{ port: 80 }] } })] },
    failingMessage: 'is LoadBalancer',
  },
  {
    rule: 'GCB-TEN-01',
    passing: { terraform: [tfNamespace(), tf('resource_quota', 'department-quota', { spec: { hard: { 'requests.cpu': '32', 'requests.memory': '96Gi' } } })] },
    failing: { terraform: [tfNamespace()] },
    failingMessage: 'has no ResourceQuota',
  },
  {
    rule: 'GCB-TEN-02',
    passing: {
      terraform: [
        tfNamespace(),
        tf('limit_range', 'container-defaults', { spec: { limit: [{ type: 'Container', default: { cpu: '500m' }, default_request: { cpu: '100m' } }] } }),
      ],
    },
    failing: {
      terraform: [tfNamespace()],
      manifests: [manifest('v1', 'LimitRange', 'container-max', { spec: { limits: [{ type: 'Container', max: { cpu: '4' } }] } })],
    },
    failingMessage: 'no Container item with both default and defaultRequest',
  },
  {
    rule: 'GCB-TEN-03',
    passing: { terraform: [tfNamespace({ 'pod-security.kubernetes.io/enforce': 'baseline' })] },
    failing: { terraform: [tfNamespace({ 'pod-security.kubernetes.io/enforce': 'privileged' })] },
    failingMessage: 'enforces "privileged"',
  },
  {
    rule: 'GCB-TEN-04',
    passing: {
      manifests: [
        manifest('v1', 'Namespace', DEPARTMENT, { metadata: { name: DEPARTMENT, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }, null),
      ],
    },
    failing: { terraform: [tfNamespace({ 'pod-security.kubernetes.io/enforce': 'baseline' })] },
    failingMessage: 'enforces "baseline"',
  },
  {
    rule: 'GCB-RBAC-01',
    passing: { manifests: [role(['get', 'list', 'watch', 'create'])] },
    failing: {
      manifests: [
        manifest('rbac.authorization.k8s.io/v1', 'ClusterRole', 'everything', { rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }] }, null),
        manifest('rbac.authorization.k8s.io/v1', 'RoleBinding', 'education-everything', {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'everything' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'education-admins' }],
        }),
      ],
    },
    failingMessage: 'grants "*" in resources',
  },
  {
    rule: 'GCB-RBAC-02',
    passing: {
      terraform: [
        tf('role_binding', 'education-admin', {
          role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'Role', name: 'education-admin' },
          subject: [{ api_group: 'rbac.authorization.k8s.io', kind: 'Group', name: 'education-admins' }],
        }),
      ],
    },
    failing: {
      terraform: [
        {
          type: 'kubernetes_cluster_role_binding_v1',
          name: 'education-cluster-admin',
          body: {
            metadata: { name: 'education-cluster-admin' },
            role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
            subject: [{ api_group: 'rbac.authorization.k8s.io', kind: 'Group', name: 'education-admins' }],
          },
        },
      ],
    },
    failingMessage: 'binds ClusterRole cluster-admin cluster-wide to department education',
  },
  {
    rule: 'GCB-RBAC-03',
    passing: { manifests: [role(['get', 'list'], ['roles', 'rolebindings'], ['rbac.authorization.k8s.io'])] },
    failing: { manifests: [role(['get', 'bind'], ['roles'], ['rbac.authorization.k8s.io'])] },
    failingMessage: 'grants bind',
  },
  {
    rule: 'GCB-RBAC-04',
    passing: {
      manifests: [
        manifest(
          'rbac.authorization.k8s.io/v1',
          'ClusterRoleBinding',
          'sre-view',
          { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'platform-sre' }] },
          null,
        ),
      ],
    },
    failing: {
      manifests: [
        manifest(
          'rbac.authorization.k8s.io/v1',
          'ClusterRoleBinding',
          'enrolment-view',
          {
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
            subjects: [{ kind: 'ServiceAccount', name: 'enrolment', namespace: DEPARTMENT }],
          },
          null,
        ),
      ],
    },
    failingMessage: 'grants ClusterRole view in every namespace to department education',
  },
  {
    rule: 'GCB-SEC-01',
    passing: {
      terraform: [
        tf('secret', 'grafana-admin', { data_wo: { 'admin-user': 'admin', 'admin-password': '${var.grafana_admin_password}' }, data_wo_revision: 1 }),
      ],
    },
    failing: { terraform: [tf('secret', 'db-credentials', { data_wo: { password: 'hunter2-hunter2' }, data_wo_revision: 1 })] },
    failingMessage: 'holds a literal value (15 characters, not shown)',
  },
  {
    rule: 'GCB-SEC-02',
    passing: { terraform: [tf('secret', 'db-credentials', { data_wo: { password: '${var.db_password}' }, data_wo_revision: 1 })] },
    failing: { terraform: [tf('secret', 'db-credentials', { data: { password: '${var.db_password}' } })] },
    failingMessage: 'which Terraform keeps in its state',
  },
  {
    rule: 'GCB-SEC-03',
    passing: {
      manifests: [
        manifest('v1', 'Secret', 'registry-pull', { type: 'kubernetes.io/dockerconfigjson' }),
        manifest('v1', 'ConfigMap', 'citizen-db-connection', { data: { host: 'citizen-db.middleware.svc', existingSecret: 'citizen-db-credentials' } }),
      ],
    },
    failing: { manifests: [manifest('v1', 'Secret', 'db-credentials', { stringData: { password: 'hunter2' } })] },
    failingMessage: 'holds values for password',
  },
  {
    rule: 'GCB-SEC-04',
    passing: {
      manifests: [
        deployment(
          {},
          {
            containers: [
              {
                name: 'enrolment',
                image: 'harbor.gov.example/mirror/enrolment:1.6.2',
                env: [
                  { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'citizen-db-credentials', key: 'password' } } },
                  { name: 'DB_PASSWORD_FILE', value: '/var/run/secrets/db/password' },
                  { name: 'DB_USERNAME', value: 'education' },
                ],
              },
            ],
          },
        ),
      ],
    },
    failing: {
      manifests: [
        deployment(
          {},
          { containers: [{ name: 'enrolment', image: 'harbor.gov.example/mirror/enrolment:1.6.2', env: [{ name: 'PAYMENT_API_KEY', value: 'sk-live-123' }] }] },
        ),
      ],
    },
    failingMessage: 'PAYMENT_API_KEY holds a literal value',
  },
  {
    rule: 'GCB-SEC-05',
    passing: {
      terraform: [
        helmRelease(
          'documents',
          'minio',
          [
            'auth:\n  existingSecret: documents-credentials\n  rootUserSecretKey: root-user\n  rootPasswordSecretKey: root-password\n  usePasswordFiles: true\n',
          ],
          'middleware',
        ),
        helmRelease('grafana', 'grafana', ['admin:\n  existingSecret: grafana-admin\n  passwordKey: admin-password\n'], 'monitoring', {
          set_sensitive: [{ name: 'adminPassword', value: '${var.grafana_admin_password}' }],
        }),
      ],
    },
    failing: { terraform: [helmRelease('session-cache', 'redis', ['auth:\n  enabled: true\n  password: hunter2hunter2\n'], 'middleware')] },
    failingMessage: 'holds a literal value (14 characters, not shown)',
  },
  {
    rule: 'GCB-SEC-06',
    passing: {
      manifests: [
        deployment(
          {},
          {
            containers: [
              // What a middleware connection gives by default: the Secret mounted read-only, its path in <PREFIX>_<KEY>_FILE.
              {
                name: 'enrolment',
                image: 'i',
                env: [
                  { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'citizen-db-connection', key: 'HOST' } } },
                  { name: 'DB_PASSWORD_FILE', value: '/var/run/secrets/govcloud.io/citizen-db/password' },
                ],
                volumeMounts: [{ name: 'credentials-citizen-db', mountPath: '/var/run/secrets/govcloud.io/citizen-db', readOnly: true }],
              },
            ],
            volumes: [
              {
                name: 'credentials-citizen-db',
                secret: { secretName: 'citizen-db-credentials', defaultMode: 0o400, items: [{ key: 'password', path: 'password' }] },
              },
            ],
          },
        ),
      ],
    },
    failing: {
      manifests: [
        deployment(
          {},
          {
            containers: [
              {
                name: 'enrolment',
                image: 'i',
                // A connection opted into env credentials (`credentials: env`), or the service's own `env[].secret`.
                env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'citizen-db-credentials', key: 'password' } } }],
              },
            ],
          },
        ),
      ],
    },
    failingMessage: 'takes DB_PASSWORD from Secrets as environment variables',
  },
  {
    rule: 'GCB-AVL-01',
    passing: { manifests: [deployment({ replicas: 3 }, SPREAD), pdb()] },
    failing: {
      manifests: [
        deployment({}, SPREAD),
        manifest('autoscaling/v2', 'HorizontalPodAutoscaler', 'enrolment', {
          spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'enrolment' }, minReplicas: 2, maxReplicas: 10 },
        }),
        pdb({ 'app.kubernetes.io/name': 'another-service' }),
      ],
    },
    failingMessage: 'runs up to 10 replicas but no PodDisruptionBudget',
  },
  {
    rule: 'GCB-AVL-02',
    passing: {
      manifests: [
        deployment(
          { replicas: 2 },
          {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: POD_LABELS } }],
              },
            },
          },
        ),
        deployment({ replicas: 1 }),
      ],
    },
    failing: { manifests: [deployment({ replicas: 2 })] },
    failingMessage: 'no topologySpreadConstraints or podAntiAffinity',
  },
  {
    rule: 'GCB-TLS-01',
    passing: {
      manifests: [gateway([HTTPS_SERVER, { hosts: ['enrol.example'], port: { name: 'http', number: 80, protocol: 'HTTP' }, tls: { httpsRedirect: true } }])],
    },
    failing: { manifests: [gateway([HTTPS_SERVER, { hosts: ['enrol.example'], port: { name: 'http', number: 80, protocol: 'HTTP' } }])] },
    failingMessage: 'serves plain HTTP',
  },
  {
    rule: 'GCB-TLS-02',
    passing: {
      manifests: [
        manifest('networking.k8s.io/v1', 'Ingress', 'enrolment', {
          spec: { tls: [{ hosts: ['enrol.example'], secretName: 'enrol-tls' }], rules: [{ host: 'enrol.example' }] },
        }),
      ],
    },
    failing: { manifests: [manifest('networking.k8s.io/v1', 'Ingress', 'enrolment', { spec: { rules: [{ host: 'enrol.example' }] } })] },
    failingMessage: 'host enrol.example has no spec.tls entry',
  },
  {
    rule: 'GCB-TLS-03',
    passing: { terraform: [tfNamespace()], manifests: [peerAuthentication('STRICT'), allowNothing] },
    failing: { terraform: [tfNamespace()], manifests: [allowNothing, peerAuthentication('STRICT', 'other-namespace')] },
    failingMessage: 'neither istio-system nor namespace education',
  },
  {
    rule: 'GCB-TLS-04',
    passing: {
      manifests: [
        peerAuthentication('STRICT'),
        manifest('networking.istio.io/v1', 'DestinationRule', 'enrolment', {
          spec: { host: 'enrolment.education.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
        }),
      ],
    },
    failing: { manifests: [peerAuthentication('PERMISSIVE', DEPARTMENT)] },
    failingMessage: 'is PERMISSIVE',
  },
  {
    rule: 'GCB-TLS-05',
    passing: {
      terraform: [
        kubePrometheusStack('    remoteWrite:\n      - url: https://metrics.example/api/v1/receive\n        tlsConfig:\n          insecureSkipVerify: false\n'),
      ],
    },
    failing: { terraform: [kubePrometheusStack('    remoteWrite:\n      - url: http://metrics.example/api/v1/receive\n')] },
    failingMessage: 'remote write goes to http://',
  },
  {
    rule: 'GCB-TLS-06',
    passing: { manifests: [cnpgCluster('verify-full')] },
    failing: { manifests: [cnpgCluster('prefer')] },
    failingMessage: 'sslmode prefer, which allows plain text',
  },
  {
    rule: 'GCB-DATA-01',
    passing: { cluster: { role: 'public' }, manifests: [deployment({}, {}, { 'govcloud.io/data-classification': 'internal' })] },
    failing: { cluster: { role: 'public' }, manifests: [deployment({}, {}, { 'govcloud.io/data-classification': 'personal' })] },
    failingMessage: 'marks citizen personal data on public-cloud cluster',
  },
  {
    rule: 'GCB-DATA-02',
    passing: { cluster: { role: 'public' }, manifests: [deployment({}, {}, { 'govcloud.io/data-classification': 'public' })] },
    failing: { cluster: { role: 'public' }, manifests: [deployment()] },
    failingMessage: 'without a data-classification mark',
  },
  {
    rule: 'GCB-BAK-01',
    passing: { manifests: [records(), departmentSchedule()] },
    failing: { manifests: [records(), veleroSchedule('0 18 * * *')] },
    failingMessage: 'StatefulSet education/records keeps data in namespace education, but no unpaused Velero Schedule',
  },
  {
    rule: 'GCB-BAK-02',
    passing: { terraform: shelfInstance(), manifests: [veleroSchedule('0 18 * * *')] },
    failing: {
      terraform: shelfInstance(),
      manifests: [veleroSchedule('0 18 * * *', { labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'other-db' } } })],
    },
    failingMessage: 'shelf instance citizen-db keeps data in namespace middleware, but no unpaused Velero Schedule',
  },
  {
    rule: 'GCB-BAK-03',
    passing: { manifests: [veleroSchedule('0 18 * * *'), backupLocation('https://obs.cn-central-221.example')] },
    failing: { manifests: [veleroSchedule('0 18 * * *'), backupLocation('http://documents.middleware.svc:9000')] },
    failingMessage: 'inside the cluster it protects',
  },
  {
    rule: 'GCB-BAK-04',
    passing: { manifests: [veleroSchedule('0 18 * * *'), veleroSchedule('*/5 * * * *')] },
    failing: { manifests: [veleroSchedule('0 18 * * 0')] },
    failingMessage: 'does not run every day',
  },
  {
    rule: 'GCB-RET-01',
    passing: { terraform: [thanos('  retentionResolutionRaw: 30d\n  retentionResolution5m: 180d\n  retentionResolution1h: 2y\n')] },
    failing: { terraform: [thanos('  retentionResolutionRaw: 30d\n  retentionResolution5m: 90d\n  retentionResolution1h: 90d\n')] },
    failingMessage: 'keeps metrics at most 90d',
  },
  {
    rule: 'GCB-RET-02',
    passing: { terraform: [kubePrometheusStack('    retention: 4d\n    remoteWrite:\n      - url: https://metrics.example/api/v1/receive\n')] },
    failing: { terraform: [kubePrometheusStack('    retention: 10d\n')] },
    failingMessage: 'remote-writes nowhere',
  },
];
