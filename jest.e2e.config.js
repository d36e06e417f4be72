/**
 * `npm run test:e2e`: the end-to-end suite against the real engines (terraform with the real
 * providers, a real kube-apiserver). Its globalSetup builds the toolchain (test/e2e/toolchain)
 * into a per-user cache; the first run takes many minutes. Run in band: the tests start servers
 * and share the machine's two cores with terraform and the Go builds.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  // Not *.test.ts: the unit suite (jest.config.js) must not pick these up.
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/e2e/tsconfig.json' }] },
  globalSetup: '<rootDir>/test/e2e/global-setup.ts',
  testTimeout: 20 * 60 * 1000,
  verbose: true,
};
