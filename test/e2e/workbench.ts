// Opens the real VS Code workbench (code-server) in real Chromium with the built extension installed.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchChromium, type Page } from '../../scripts/lib/browser.ts';
import { repoRoot } from '../../scripts/lib/code-server.ts';
import { startCodeServer, type CodeServerOptions, type RunningCodeServer } from '../../scripts/lib/launch.ts';
import { installCodeServer } from '../../scripts/install-code-server.ts';

export const resultsDir = path.join(repoRoot, 'test-results');

export interface Workbench {
  readonly page: Page;
  readonly server: RunningCodeServer;
  /** Console lines of the page, the webviews and the extension host, for assertions on errors and CSP. */
  readonly console: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openWorkbench(options: CodeServerOptions = {}): Promise<Workbench> {
  await installCodeServer(() => undefined);
  const server = await startCodeServer({ installExtension: true, ...options });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const page = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  await page.goto(`${server.url}?folder=${encodeURIComponent(server.folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return {
    page,
    server,
    console: consoleLines,
    screenshot: async (name) => {
      mkdirSync(resultsDir, { recursive: true });
      const file = path.join(resultsDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Clicks our activity-bar entry and makes sure the Gateways view is expanded. */
export async function openGatewaysView(page: Page): Promise<void> {
  const entry = page.locator('.activitybar [role="tab"][aria-label^="Arc APIM Gateway"], .activitybar a[aria-label^="Arc APIM Gateway"]').first();
  await entry.waitFor({ timeout: 30_000 });
  const selected = (await entry.getAttribute('aria-selected')) === 'true' || (await entry.getAttribute('aria-checked')) === 'true';
  if (!selected) await entry.click();
  // A container with a single view hides that view's header (and keeps it expanded).
  const header = page.locator('.pane-header[aria-label^="Gateways"]').first();
  await header.waitFor({ state: 'attached', timeout: 30_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true' && (await header.isVisible())) await header.click();
}
