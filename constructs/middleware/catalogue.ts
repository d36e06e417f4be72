import { MiddlewareEngine, MiddlewareEngineName } from './engine';
import { postgresql } from './postgresql';
import { redis } from './redis';
import { kafka } from './kafka';
import { rabbitmq } from './rabbitmq';
import { objectStorage } from './object-storage';

/**
 * The shelf's catalogue: one vetted entry per engine. Every region installs exactly these
 * charts, versions and images, from the blueprint's mirror.
 */
export const CATALOGUE: Readonly<Record<MiddlewareEngineName, MiddlewareEngine>> = {
  postgresql,
  redis,
  kafka,
  rabbitmq,
  'object-storage': objectStorage,
};

/** Engine names, in catalogue order. */
export const MIDDLEWARE_ENGINES = Object.keys(CATALOGUE) as MiddlewareEngineName[];

export function catalogueEngine(name: MiddlewareEngineName): MiddlewareEngine {
  return CATALOGUE[name];
}
