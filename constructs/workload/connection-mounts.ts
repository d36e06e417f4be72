import { boundedLabel } from '../../lib/names';
import { credentialEnvName } from '../middleware/middleware-plan';
import { CREDENTIALS_ROOT, CREDENTIALS_VOLUME_PREFIX } from '../middleware/middleware-spec';

export { CREDENTIALS_ROOT } from '../middleware/middleware-spec';
import type { ConnectionReference } from '../core/tree';

type Json = Record<string, unknown>;

/**
 * Owner read only (0400, CIS 5.4.1). The kubelet writes Secret files as root, but with the pod's
 * fsGroup it also gives them that group and adds group read (0440); the service's container runs
 * with runAsGroup = fsGroup, so the application reads them and no other user can.
 */
export const CREDENTIAL_FILE_MODE = 0o400;

/** The directory an instance's credentials are mounted at. */
export function credentialsDirectory(instance: string): string {
  return `${CREDENTIALS_ROOT}/${instance}`;
}

/** The pod volume of an instance's credentials: unique in the pod (a service names an instance once), a DNS-1123 label. */
export function credentialsVolumeName(instance: string): string {
  return boundedLabel(`${CREDENTIALS_VOLUME_PREFIX}${instance}`);
}

/** Connections whose credentials are files in the container. */
function fileConnections(connections: readonly ConnectionReference[]): ConnectionReference[] {
  return connections.filter((c) => c.credentials === 'file' && c.secretKeys.length > 0);
}

/**
 * The env of the connections: each setting from the connection ConfigMap, then each credential as
 * the path of its file (`<PREFIX>_PASSWORD_FILE`) or, opted in, as a reference to the Secret key.
 */
export function connectionEnv(connections: readonly ConnectionReference[]): Json[] {
  return connections.flatMap((c) => [
    ...c.settings.map((key) => ({ name: `${c.envPrefix}_${key}`, valueFrom: { configMapKeyRef: { name: c.configMap, key } } })),
    ...c.secretKeys.map((s) =>
      c.credentials === 'file'
        ? { name: credentialEnvName(c.envPrefix, s.env, 'file'), value: `${credentialsDirectory(c.instance)}/${s.key}` }
        : { name: credentialEnvName(c.envPrefix, s.env, 'env'), valueFrom: { secretKeyRef: { name: c.secret, key: s.key } } },
    ),
  ]);
}

/** The Secret volumes of the connections with file credentials: exactly the keys the service uses, read-only to the owner. */
export function credentialVolumes(connections: readonly ConnectionReference[]): Json[] {
  return fileConnections(connections).map((c) => ({
    name: credentialsVolumeName(c.instance),
    secret: { secretName: c.secret, defaultMode: CREDENTIAL_FILE_MODE, items: c.secretKeys.map((s) => ({ key: s.key, path: s.key })) },
  }));
}

/** The container's read-only mounts of those volumes, one directory per instance. */
export function credentialMounts(connections: readonly ConnectionReference[]): Json[] {
  return fileConnections(connections).map((c) => ({ name: credentialsVolumeName(c.instance), mountPath: credentialsDirectory(c.instance), readOnly: true }));
}
