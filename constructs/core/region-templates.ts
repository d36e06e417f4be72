import { type Problems } from '../../lib/errors';
import type { BlueprintSpec } from '../blueprint-spec';

/** DNS limits a host name filled in for a region must still meet. */
const MAX_HOST = 253;
const MAX_LABEL = 63;

/**
 * The spec with the region's name in every `{region}` of an exposed host, so one blueprint line
 * (`app.{region}.gov.hunan.example`) gives each city its own host. A host that grows past DNS
 * limits in this region is a problem at its spec path.
 */
export function expandHostTemplates(spec: BlueprintSpec, region: string, path: string, problems: Problems): BlueprintSpec {
  const services = spec.services.map((service) => {
    const expose = service.traffic?.expose;
    if (!expose || !expose.hosts.some((h) => h.includes('{region}'))) return service;
    const hosts = expose.hosts.map((host, i) => {
      const filled = host.replaceAll('{region}', region);
      if (filled.length > MAX_HOST || filled.split('.').some((label) => label.length > MAX_LABEL)) {
        problems.add(
          `${path}.services.${service.name}.traffic.expose.hosts[${i}]`,
          `${JSON.stringify(host)} becomes ${JSON.stringify(filled)} in region "${region}", past DNS limits (${MAX_HOST} characters, ${MAX_LABEL} per label); shorten the template`,
        );
      }
      return filled;
    });
    return { ...service, traffic: { ...service.traffic, expose: { ...expose, hosts } } };
  });
  return { ...spec, services };
}
