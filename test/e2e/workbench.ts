// Opens the real VS Code workbench (code-server) in real Chromium with the built extension installed.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Locator } from 'playwright-core';
import { launchChromium, type Page } from '../../scripts/lib/browser.ts';
import { repoRoot } from '../../scripts/lib/code-server.ts';
import { startCodeServer, type CodeServerOptions, type RunningCodeServer } from '../../scripts/lib/launch.ts';
import { installCodeServer } from '../../scripts/install-code-server.ts';
import { waitFor } from '../support/waitFor.ts';

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

/**
 * The slice of test/sandbox/index.ts the e2e tests use. The sandbox is Node code whose webcrypto types clash with the
 * DOM lib this project compiles with, so it is imported through a variable (not type-checked here; it is in the main
 * project) and used through this interface.
 */
export interface RunningSandbox {
  readonly info: { readonly armToken: string };
  readonly env: Record<string, string>;
  readonly settings: Record<string, unknown>;
  close(): Promise<void>;
}

export type World = 'blog-start' | 'blog-deployed';

export async function startSandbox(world: World): Promise<RunningSandbox> {
  const sandboxModule = '../sandbox/index.ts';
  const { startSandbox: start } = (await import(sandboxModule)) as { startSandbox(options: { world: string }): Promise<RunningSandbox> };
  return start({ world });
}

/** A sandbox and the workbench on it, for the tests of one describe (read them inside its `it`s). */
export interface WorldWorkbench {
  readonly sandbox: RunningSandbox;
  readonly workbench: Workbench;
}

export interface WorldWorkbenchOptions {
  /** Changes the world before the workbench opens (a fault, an object a client would create). */
  prepare?(sandbox: RunningSandbox): Promise<void> | void;
  /** The workbench's options; default: the sandbox's environment and settings. */
  workbench?(sandbox: RunningSandbox): CodeServerOptions;
}

/**
 * The set-up every e2e test on a sandbox world shares: called in a describe, its before() starts a sandbox of
 * `world`, runs `prepare`, and opens the workbench on it; its after() closes both.
 */
export function worldWorkbench(world: World, options: WorldWorkbenchOptions = {}): WorldWorkbench {
  let sandbox: RunningSandbox | undefined;
  let workbench: Workbench | undefined;
  before(async () => {
    sandbox = await startSandbox(world);
    await options.prepare?.(sandbox);
    workbench = await openWorkbench(options.workbench?.(sandbox) ?? { env: sandbox.env, settings: sandbox.settings });
  });
  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });
  return {
    get sandbox() {
      if (!sandbox) throw new Error(`the ${world} sandbox is not started (read it inside a test)`);
      return sandbox;
    },
    get workbench() {
      if (!workbench) throw new Error(`the workbench on ${world} is not open (read it inside a test)`);
      return workbench;
    },
  };
}

/** Runs a test's steps; when one fails, test-results/<name>-failure.png shows what the workbench showed then. */
export async function withFailureScreenshot(workbench: Workbench, name: string, steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (error) {
    await workbench.screenshot(`${name}-failure`).catch(() => undefined);
    throw error;
  }
}

export const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');

/** The first row of the side bar's tree (ours, or the Azure Resources explorer) whose text matches. */
export function row(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
}

/** Expands a collapsed tree row (a click on a collapsed row toggles it). */
export async function expand(page: Page, text: string | RegExp, timeout = 30_000): Promise<void> {
  const r = row(page, text);
  await r.waitFor({ timeout });
  if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
}

/** Waits for the picker whose placeholder starts with `placeholder`, filters it to `item` and accepts. */
export async function pick(page: Page, placeholder: string, item: string): Promise<void> {
  const widget = quickInput(page);
  const input = widget.locator(`input[placeholder^="${placeholder}"]`);
  await input.waitFor({ timeout: 30_000 });
  // A step that reads its items from a cluster or ARM keeps the box disabled (inert) until they are in: a busy
  // machine can take longer than the default 30 s.
  await input.fill(item, { timeout: 90_000 });
  await widget.locator('.monaco-list-row').filter({ hasText: item }).first().waitFor({ timeout: 30_000 });
  await input.press('Enter');
}

/** Waits for the input step whose prompt contains `prompt`, replaces its value when given, and accepts. */
export async function answer(page: Page, prompt: string, value?: string): Promise<void> {
  const widget = quickInput(page);
  await widget.filter({ hasText: prompt }).waitFor({ timeout: 30_000 });
  const input = widget.locator('.quick-input-box input');
  if (value !== undefined) await input.fill(value);
  await input.press('Enter');
}

/** VS Code's modal confirmation: press the button that goes ahead. */
export async function confirm(page: Page, message: RegExp, action: string): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box').filter({ hasText: message });
  await dialog.waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: action }).click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
}

/** Polls `check` every 20 ms until it holds; fails naming `what` after `timeoutMs` (test/support/waitFor.ts). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await waitFor(what, check, { timeoutMs, everyMs: 20 });
}
