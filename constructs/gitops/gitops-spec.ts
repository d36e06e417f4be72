import * as s from '../../lib/schema';

/**
 * GitOps for the application layer (issue: "`cdktf deploy` the platform layer, then GitOps syncs
 * the application layer"): the synthesized `manifests/` folder is committed to a Git repository,
 * and Argo CD on the region's management cluster keeps every cluster's folder in sync with it.
 * Repository credentials never appear here: Argo CD finds them in its own repository Secret
 * (`argocd repo add`), matched by URL.
 */
export interface GitOpsSpec {
  /** The GitOps engine. @default "argocd" */
  readonly engine?: GitOpsEngine;
  /**
   * The Git repository holding the synthesized manifests: an https URL without credentials
   * ("https://git.gov.example/platform/manifests.git") or an ssh one ("git@git.gov.example:platform/manifests.git").
   */
  readonly repository: string;
  /** The branch, tag or commit to sync, e.g. "main". */
  readonly revision: string;
  /**
   * The folder of the repository the output's `manifests/` is committed as; each cluster syncs
   * `<path>/<region>/<cluster>`. @default "manifests"
   */
  readonly path?: string;
  /** Where Argo CD runs and how its Applications are written. @default Argo CD in namespace "argocd" on the region's first gov cluster, project "default" */
  readonly argocd?: ArgoCdSpec;
}

export type GitOpsEngine = 'argocd';
export const GITOPS_ENGINES: readonly GitOpsEngine[] = ['argocd'];

export interface ArgoCdSpec {
  /**
   * The management cluster: the gov cluster running Argo CD, whose manifest folder gets the
   * Applications (`gitops.yaml`). @default the region's first gov cluster
   */
  readonly cluster?: string;
  /** Argo CD's namespace, where its Applications live. @default "argocd" */
  readonly namespace?: string;
  /** The AppProject of the Applications. @default "default" */
  readonly project?: string;
  /**
   * Install Argo CD (chart argo-cd 10.1.1 from the mirror) on the management cluster with the
   * platform layer. @default false: Argo CD is already there
   */
  readonly install?: boolean;
}

export const DEFAULT_GITOPS_PATH = 'manifests';
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';
export const DEFAULT_ARGOCD_PROJECT = 'default';

const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[^\s@?#]*)?$/;
const SSH_URL = /^ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d+)?\/[^\s?#]+$/;
const SCP_URL = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/:?#][^\s?#]*$/;

/** What is wrong with a repository URL that does not match, beyond its shape. */
function explainRepository(value: string): string | undefined {
  if (/^https?:\/\/[^/]*@/.test(value))
    return 'credentials do not belong in the URL (it is committed and shown in reports); remove them and register the repository with `argocd repo add`, which keeps them in a Secret';
  if (value.startsWith('http://')) return 'plain http exposes the manifests and the credentials on the way; use https or ssh';
  return undefined;
}

/** What is wrong with a Git revision, by git-check-ref-format's rules, or undefined. */
export function revisionProblem(value: string): string | undefined {
  const broken =
    (value.startsWith('-') && 'starts with "-"') ||
    (value.includes('..') && 'holds ".."') ||
    (value.includes('//') && 'holds "//"') ||
    (/[./]$/.test(value) && 'ends with "." or "/"') ||
    (value.endsWith('.lock') && 'ends with ".lock"') ||
    (value.split('/').some((part) => part.startsWith('.')) && 'has a part starting with "."');
  return broken ? `${JSON.stringify(value)} is not a Git reference: it ${broken}; use a branch, tag or commit such as "main"` : undefined;
}

/** What is wrong with the repository folder, or undefined. */
function pathProblem(value: string): string | undefined {
  return value.split('/').some((part) => part === '.' || part === '..')
    ? `${JSON.stringify(value)} leaves or repeats its folder ("." or ".." part); name the folder from the repository's root, e.g. "manifests"`
    : undefined;
}

export const argoCdSchema = s.object<ArgoCdSpec>(
  {
    cluster: s.name('The gov cluster running Argo CD; its folder gets gitops.yaml.').optional(),
    namespace: s.name("Argo CD's namespace.").optional(),
    project: s.name('AppProject of the Applications.').optional(),
    install: s.boolean('Install Argo CD on the management cluster with the platform layer.').optional(),
  },
  { title: 'Argo CD settings' },
);

export const gitopsSchema = s.object<GitOpsSpec>(
  {
    engine: s.enumOf(GITOPS_ENGINES, 'The GitOps engine.').optional(),
    repository: s.string({
      description: 'Git repository of the synthesized manifests, https or ssh, without credentials.',
      maxLength: 2048,
      pattern: {
        regex: new RegExp(`${HTTPS_URL.source}|${SSH_URL.source}|${SCP_URL.source}`),
        meaning:
          'an https or ssh Git URL without credentials, such as "https://git.gov.example/platform/manifests.git" or "git@git.gov.example:platform/manifests.git"',
        explain: explainRepository,
      },
    }),
    revision: s.string({
      description: 'Branch, tag or commit to sync.',
      maxLength: 255,
      pattern: { regex: /^[A-Za-z0-9._/-]+$/, meaning: 'a branch, tag or commit such as "main", "release/2025" or "v1.4.0"' },
      validate: revisionProblem,
    }),
    path: s
      .string({
        description: "Folder of the repository holding the output's manifests/.",
        maxLength: 1024,
        pattern: {
          regex: /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
          meaning: 'a folder relative to the repository root, such as "manifests" or "platform/manifests"',
        },
        validate: pathProblem,
      })
      .optional(),
    argocd: argoCdSchema.optional(),
  },
  { title: 'GitOps' },
);

/** Argo CD's settings with their defaults. */
export function argoCdSettings(spec: GitOpsSpec): Required<Omit<ArgoCdSpec, 'cluster'>> {
  return {
    namespace: spec.argocd?.namespace ?? DEFAULT_ARGOCD_NAMESPACE,
    project: spec.argocd?.project ?? DEFAULT_ARGOCD_PROJECT,
    install: spec.argocd?.install ?? false,
  };
}
