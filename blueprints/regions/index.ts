import * as path from 'path';
import { type RegionProps } from '../../constructs/core/region';
import { readYamlFile } from '../../lib/yaml-file';
import { packageRoot } from '../../lib/package-root';
import { changsha } from './changsha';
import { zhuzhou } from './zhuzhou';

/** Folder of the YAML region files, in the source tree and in the published package alike. */
export const REGION_FILES_DIRECTORY = path.join(packageRoot(__dirname), 'blueprints', 'regions');

/** The Hunan regions of the default blueprint: two in TypeScript, one from YAML. */
export function hunanRegions(): Record<string, RegionProps> {
  const xiangtan = path.join(REGION_FILES_DIRECTORY, 'xiangtan.yaml');
  return {
    changsha: { overrides: changsha },
    zhuzhou: { overrides: zhuzhou },
    xiangtan: { overrides: readYamlFile(xiangtan) as RegionProps['overrides'], source: 'blueprints/regions/xiangtan.yaml' },
  };
}
