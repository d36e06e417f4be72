import { type MiddlewareEngine, type MiddlewareEngineName } from './engine';
import { postgresql } from './engines/postgresql';
import { redis } from './engines/redis';
import { kafka } from './engines/kafka';
import { rabbitmq } from './engines/rabbitmq';
import { objectStorage } from './engines/object-storage';

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
