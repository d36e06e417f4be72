/**
 * The pod spec a workload's controller would create from its template: a StatefulSet's pod also
 * gets a volume per claim template, bound to that pod's claim (`<template>-<set>-<ordinal>`), which
 * its containers mount. Without them the API server refuses the template's mounts.
 */
export function controllerPodSpec(workload: { kind?: unknown; metadata?: { name?: unknown }; spec?: any }, templateSpec: any): any {
  const claims: Array<{ metadata: { name: string } }> = workload.kind === 'StatefulSet' ? (workload.spec?.volumeClaimTemplates ?? []) : [];
  if (claims.length === 0) return templateSpec;
  const volumes = claims.map(({ metadata: { name } }) => ({ name, persistentVolumeClaim: { claimName: `${name}-${String(workload.metadata?.name)}-0` } }));
  return { ...templateSpec, volumes: [...(templateSpec.volumes ?? []), ...volumes] };
}
