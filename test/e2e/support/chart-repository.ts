import * as fs from 'fs';
import * as https from 'https';
import type * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { makeServingCertificate } from './api-server';
import { REPO_ROOT } from './synth';

/** The upstream charts the catalogue pins, as a Helm repository (`../shared/charts` beside the repository). */
export const SHARED_CHARTS = path.resolve(REPO_ROOT, '..', 'shared', 'charts');

/** A Helm chart repository served over HTTPS on loopback. */
export interface LoopbackChartRepository {
  /** https://127.0.0.1:<port>: an https:// URL, as `supplyChain.chartRepository` requires. */
  readonly url: string;
  /** The certificate of the throwaway CA that signed the server's certificate. */
  readonly caFile: string;
  /** Stops the server and removes its certificates. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Serves a folder's `index.yaml` and packaged charts (the files at its top level, nothing else) over
 * HTTPS on 127.0.0.1, with a certificate from a CA of its own: the blueprint's schema takes an
 * `https://` or `oci://` chart repository only, and the suite gives the product no exception.
 */
export async function serveChartRepository(folder: string = SHARED_CHARTS): Promise<LoopbackChartRepository> {
  const files = new Set(fs.readdirSync(folder).filter((name) => name === 'index.yaml' || name.endsWith('.tgz')));
  if (!files.has('index.yaml')) throw new Error(`${folder} is no Helm chart repository: it has no index.yaml`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-e2e-charts-'));
  const certificate = await makeServingCertificate(dir, 'chart-repository');
  const server = https.createServer({ cert: fs.readFileSync(certificate.cert), key: fs.readFileSync(certificate.key) }, (request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? '/', 'https://127.0.0.1').pathname.replace(/^\/+/, ''));
    if (request.method !== 'GET' || !files.has(name)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': name.endsWith('.yaml') ? 'application/x-yaml' : 'application/gzip' });
    fs.createReadStream(path.join(folder, name)).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  let stopped = false;
  return {
    url: `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    caFile: certificate.caCert,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
