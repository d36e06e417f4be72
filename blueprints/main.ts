/**
 * `npm run synth` (and cdktf.json's app): the default blueprint and its Hunan regions. As a module
 * it exports the app, so the command line can load this file too (`--app dist/blueprints/main.js`).
 */
import { runFleetApp } from '../lib/cli/entry';
import type { AppContext } from '../lib/cli/app';
import { defaultFleet } from './default-fleet';

/** The default blueprint as an app: the Hunan regions `context.regions` names, or all of them. */
export function app(context: AppContext = {}) {
  return defaultFleet({ regions: context.regions });
}

if (require.main === module) runFleetApp(app, 'the default blueprint');
