// The command line's engine: commands on any fleet, known by its shape (README "Command line").
export { runCommandLine, COMMANDS } from './program';
export type { CommandLineOptions, CommandLineEnvironment, NamedApp, OutputStream } from './program';
export { runCommandLineProcess, runFleetApp } from './entry';
export { findApp, loadApp, nodeEntryOf, buildFleet } from './app';
export type { AppContext, FleetApp, AppFleet, AppRegion, AppCluster, AppSynthOptions, AppSynthResult, AppSource, FoundApp } from './app';
export { outputTarget, parseRegionList } from './options';
export type { OutputTarget } from './options';
export { diffOutputs, formatDiff, diffSummary } from './output-diff';
export type { OutputDiff, RegionDiff, GroupDiff, ObjectChange, AttributeChange, OutputRoot, DiffColors } from './output-diff';
export { EXIT_CODES, UsageError, runCli, failureText } from './run-cli';
