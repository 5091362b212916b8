// Real Chromium (Debian's) driven by playwright-core: no browser download. Flags keep it off the closed network.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface RunningBrowser {
  readonly browser: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<RunningBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'arc-apim-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser: context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/**
 * VS Code >= ~1.130 ignores the test payload in the URL unless the page's workbench configuration enables the smoke
 * test driver. Patch the <meta> the workbench reads before its script runs (rewriting the HTML through page.route
 * broke the workbench's WebSocket).
 */
export async function enableSmokeTestDriver(page: Page): Promise<void> {
  // Page code, kept as a string: it runs in the browser, not in this Node process.
  await page.addInitScript(`(() => {
    const patch = (meta) => {
      const raw = meta.getAttribute('data-settings');
      if (!raw) return false;
      const settings = JSON.parse(raw);
      if (settings.developmentOptions && settings.developmentOptions.enableSmokeTestDriver === true) return true;
      settings.developmentOptions = Object.assign({}, settings.developmentOptions, { enableSmokeTestDriver: true });
      meta.setAttribute('data-settings', JSON.stringify(settings));
      return true;
    };
    const find = () => document.getElementById('vscode-workbench-web-configuration');
    const existing = find();
    if (existing && patch(existing)) return;
    const observer = new MutationObserver(() => {
      const meta = find();
      if (meta && patch(meta)) observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  })();`);
}

export type { Browser, BrowserContext, Page };
