import { ApiObject, type Chart } from 'cdk8s';
import { Service } from '../workload/service';
import type { ServiceSpec } from '../workload/service-spec';
import { type JsonObject, cloneJson } from './json-diff';
import type { IRegion } from '../core/tree';

/**
 * One object of a department's application layer, with the copy each cluster has in per-cluster
 * mode. Copies are the resolved JSON of the per-cluster constructs, so escape-hatch patches on
 * them are part of what is folded.
 */
export interface FoldedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Cluster name to that cluster's copy, in the spec's cluster order. */
  readonly copies: ReadonlyMap<string, JsonObject>;
  /** The service whose construct made the object, if one did. */
  readonly service?: ServiceSpec;
}

/** The clusters that have the object, in the spec's order. */
export function foldedClusters(object: FoldedObject): string[] {
  return [...object.copies.keys()];
}

/** The copy on the first cluster that has the object: the resource template Karmada propagates. */
export function baseCopy(object: FoldedObject): JsonObject {
  return object.copies.values().next().value!;
}

/** Objects are one resource across clusters when apiVersion, kind, namespace and name match. */
export function identityKey(json: JsonObject): string {
  const metadata = (json.metadata ?? {}) as JsonObject;
  return [json.apiVersion, json.kind, metadata.namespace ?? '', metadata.name].map(String).join('|');
}

/**
 * Every object of the department's manifest file on every cluster, each once. The order is the
 * first cluster's file order, followed by objects only later clusters have, in their order.
 */
export function foldDepartment(region: IRegion, department: string): FoldedObject[] {
  const folded = new Map<string, { copies: Map<string, JsonObject>; service?: ServiceSpec; json: JsonObject }>();
  for (const cluster of region.clusters) {
    const chart = cluster.department(department)?.chart;
    if (!chart) continue;
    for (const object of chartApiObjects(chart)) {
      const json = cloneJson(object.toJson() as JsonObject);
      const key = identityKey(json);
      let entry = folded.get(key);
      if (!entry) folded.set(key, (entry = { copies: new Map(), service: owningService(object)?.spec, json }));
      if (entry.copies.has(cluster.name)) throw new Error(`[${object.node.path}] two objects ${key} in one manifest file; names must be unique per kind`);
      entry.copies.set(cluster.name, json);
    }
  }
  return [...folded.values()].map(({ copies, service, json }) => {
    const metadata = json.metadata as JsonObject;
    return {
      apiVersion: String(json.apiVersion),
      kind: String(json.kind),
      ...(metadata.namespace !== undefined ? { namespace: String(metadata.namespace) } : {}),
      name: String(metadata.name),
      copies,
      ...(service ? { service } : {}),
    };
  });
}

/** The chart's API objects in construct order: the order of its manifest file. */
export function chartApiObjects(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

function owningService(object: ApiObject): Service | undefined {
  return [...object.node.scopes].reverse().find((scope): scope is Service => scope instanceof Service);
}
