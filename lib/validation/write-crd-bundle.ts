/**
 * `npm run crds [-- <crd folder>]`: regenerates lib/validation/crds.json from the CRD folder
 * (default: `../shared/crds` beside the repository).
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../package-root';
import { CRD_BUNDLE_FILE, bundleCrds, formatCrdBundle } from './bundled-crds';
import { readCrdDocuments } from './manifest-validator';

const root = packageRoot(__dirname);
const source = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'crds'));
const bundle = bundleCrds(readCrdDocuments(source), source);
fs.writeFileSync(path.join(root, CRD_BUNDLE_FILE), formatCrdBundle(bundle));
process.stdout.write(`wrote ${CRD_BUNDLE_FILE}: ${bundle.length} CRDs from ${source}\n`);
