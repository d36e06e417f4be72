import type { ControlRef } from '../compliance-rule';

// The controls the rules map to, defined once: rules that share a control share its id and
// title, so the report groups them under one row.

/** MLPS 2.0 clauses are worded for systems in general: every mapping of a Kubernetes setting to one is our reading. */
export const mlps = (id: string, title: string): ControlRef => ({ framework: 'MLPS 2.0 L3', id, title, certain: false });
export const cis = (id: string, title: string): ControlRef => ({ framework: 'CIS Kubernetes', id, title });
export const nsa = (id: string, title: string, certain = true): ControlRef => ({ framework: 'NSA/CISA', id, title, ...(certain ? {} : { certain }) });
export const pss = (id: string, title: string): ControlRef => ({ framework: 'PSS', id, title });

export const MLPS_AREA_ACCESS_CONTROL = mlps(
  '8.1.3.2 a)',
  '访问控制 (区域边界): access rules between areas; by default every interface denies all but the allowed traffic',
);
export const MLPS_AUDIT_RETENTION = mlps('8.1.5.4 d)', '集中管控: audit data collected centrally, kept as long as laws and regulations require');
export const MLPS_BOUNDARY_PROTECTION = mlps('8.1.3.1 a)', '边界防护: cross-boundary access and data flows pass the controlled interfaces of boundary devices');
export const MLPS_CENTRAL_MONITORING = mlps('8.1.5.4 c)', '集中管控: central monitoring of the running state of links, devices and servers');
export const MLPS_CLOSE_PORTS = mlps('8.1.4.4 b)', '入侵防范: close unneeded system services, default shares and high-risk ports');
export const MLPS_CONFIDENTIALITY = mlps('8.1.4.8 b)', '数据保密性: cryptography keeps important data confidential in storage, authentication data included');
export const MLPS_HIGH_AVAILABILITY = mlps('8.1.4.9 c)', '数据备份恢复: hot redundancy of important data processing systems, for high availability');
export const MLPS_KNOWN_VULNERABILITIES = mlps('8.1.4.4 e)', '入侵防范: find known vulnerabilities and patch them after testing');
export const MLPS_LEAST_PRIVILEGE = mlps(
  '8.1.4.2 d)',
  '访问控制: grant only the privileges needed (worded for administrative users; our reading extends it to workload processes)',
);
export const MLPS_LOCAL_BACKUP = mlps('8.1.4.9 a)', '数据备份恢复: local backup and recovery of important data');
export const MLPS_MALICIOUS_CODE = mlps('8.1.4.5', '恶意代码防范: technical measures that identify and block intrusions and malicious code');
export const MLPS_MINIMAL_INSTALL = mlps('8.1.4.4 a)', '入侵防范: install only the components and applications needed');
export const MLPS_OFFSITE_BACKUP = mlps('8.1.4.9 b)', '数据备份恢复: off-site backup of important data over the network');
export const MLPS_PERSONAL_INFORMATION = mlps('8.1.4.11 b)', "个人信息保护: no unauthorised access to or use of users' personal information");
export const MLPS_SECURITY_LABELS = mlps(
  '8.1.4.2 g)',
  '访问控制: security labels on subjects and objects, access controlled by them (mandatory access control)',
);
export const MLPS_TRANSMISSION = mlps('8.1.2.2 b)', '通信传输: cryptography keeps data confidential in transit');
export const MLPS_TRUSTED_VERIFICATION = mlps('8.1.4.6', '可信验证: verify system programs, configuration and applications against a root of trust');
export const NSA_ENCRYPTION = nsa('Network separation: encryption', 'encrypt traffic inside the cluster and to the outside with TLS');
export const NSA_ENFORCEMENT = nsa(
  'Pod security: pod security enforcement',
  'enforce a pod security policy: no privileged or host-sharing pods, a restricted profile',
);
export const NSA_IMAGES = nsa('Pod security: building secure container images', 'images from trusted, scanned repositories', false);
export const NSA_IMMUTABLE = nsa('Pod security: immutable container file systems', 'read-only root file system, writable volumes only where needed');
export const NSA_LOGGING = nsa('Audit logging and threat detection: logging', 'collect logs and metrics outside the cluster and keep them for investigation');
export const NSA_NAMESPACES = nsa('Network separation: namespaces', 'separate teams and workloads by namespace');
export const NSA_NETWORK_POLICIES = nsa('Network separation: network policies', 'a default-deny policy per namespace; allow only the traffic needed');
export const NSA_NON_ROOT = nsa('Pod security: non-root containers', 'run containers as non-root users');
export const NSA_RBAC = nsa(
  'Authentication and authorization: role-based access control',
  'least privilege, no wildcards, cluster-wide rights only where needed',
);
export const NSA_RESOURCES = nsa('Network separation: resource policies', 'limit the resources each pod and namespace may use');
export const NSA_SECRETS = nsa('Network separation: secrets', 'keep sensitive values out of configuration, in Secrets encrypted at rest');
export const NSA_TOKENS = nsa('Pod security: protecting pod service account tokens', 'do not mount service account tokens into pods that do not need them');
