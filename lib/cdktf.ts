/**
 * The only module that imports `cdktf`. cdktf 0.21 is final (archived upstream); moving to a
 * maintained fork such as `cdktn` is a change to this file alone.
 */
export { App as TerraformApp, TerraformStack, TerraformVariable, TerraformBackend, TerraformRemoteState, LocalBackend, S3Backend } from 'cdktf';
export type { DataTerraformRemoteStateConfig, ITerraformDependable } from 'cdktf';
