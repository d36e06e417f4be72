import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import puppeteer, { type Browser } from 'puppeteer-core';
import { defaultFleet } from '../../blueprints/default-fleet';

/**
 * The HTML report in a real browser: headless Chromium (Debian's `chromium`, which `.ci/run`
 * installs and the toolchain check requires) opens `reports/index.html` of the default
 * blueprint over file://, as a reader of a checkout would. The page must load without a console
 * error, page error or failed request, and every picture must be decoded and visible. A
 * screenshot stays in `test-output/html-report.png`.
 */

const OUTPUT = path.join(__dirname, '..', '..', 'test-output');

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium is not installed: apt-get install -y chromium (Debian), or set CHROMIUM_PATH to a Chromium binary');
  }
}

describe('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let outdir: string;

  beforeAll(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-html-report-'));
    defaultFleet({ outdir }).synth();
    // As root (CI containers) Chromium's sandbox cannot start; the page is our own file.
    browser = await puppeteer.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('loads without errors and shows every picture', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.setViewport({ width: 1400, height: 1000 });
    const response = await page.goto(`file://${path.join(outdir, 'reports', 'index.html')}`, { waitUntil: 'load' });
    expect(response?.ok() ?? true).toBe(true);

    const images = await page.$$eval('img', (elements) =>
      elements.map((img) => {
        img.scrollIntoView();
        const box = img.getBoundingClientRect();
        // (this runs in the page, where getComputedStyle is a global; the e2e config has no DOM types)
        const style = (globalThis as unknown as { getComputedStyle(e: unknown): { display: string; visibility: string; opacity: string } }).getComputedStyle(
          img,
        );
        return {
          src: img.getAttribute('src') ?? '',
          complete: img.complete,
          naturalWidth: img.naturalWidth,
          width: box.width,
          height: box.height,
          visible: style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0,
        };
      }),
    );
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'html-report.png'), fullPage: true });

    // Every picture the synth wrote is on the page: one topology per region, the fleet's, every chart.
    const pictures = fs
      .readdirSync(path.join(outdir, 'reports'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.svg'))
      .map((f) => f.split(path.sep).join('/'))
      .sort();
    expect([...new Set(images.map((i) => i.src))].sort()).toEqual(pictures);
    expect(pictures).toEqual(expect.arrayContaining(['changsha/topology.svg', 'xiangtan/topology.svg', 'zhuzhou/topology.svg', 'fleet-topology.svg']));
    for (const image of images) {
      expect({
        src: image.src,
        complete: image.complete,
        decoded: image.naturalWidth > 0,
        visible: image.visible && image.width > 0 && image.height > 0,
      }).toEqual({
        src: image.src,
        complete: true,
        decoded: true,
        visible: true,
      });
    }
    // Nothing outside the report folder was asked for.
    expect(requested.filter((url) => !url.startsWith(`file://${path.join(outdir, 'reports')}/`))).toEqual([]);
    expect(problems).toEqual([]);
    // The Markdown became HTML: the region reports' tables and headings are there.
    expect(await page.$$eval('section', (s) => s.map((e) => e.id))).toEqual(['fleet', 'region-changsha', 'region-zhuzhou', 'region-xiangtan']);
    expect(await page.$$eval('#region-changsha table', (t) => t.length)).toBeGreaterThan(10);
    await page.close();
  });
});
