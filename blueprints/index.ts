export * from './citizen-services';
export * from './red-packet-campaign';
export * from './default-fleet';
export { hunanRegions } from './regions';
export { changsha } from './regions/changsha';
export { zhuzhou } from './regions/zhuzhou';
