// Sandbox-only layout: `npm run sandbox` is where people try Arc APIM Gateway, at 1280 px as often as not. VS Code opens
// its primary side bar at 300 px, which cuts the Gateways tree's descriptions ("1/1 ready · gateway v2 · token expires
// in 29 days"); its width is layout state kept in the browser's storage, which no setting reaches. So, once per
// sandbox profile (a throwaway user-data-dir, so once per `npm run sandbox`), this opens the Gateways view and widens
// the side bar by four of the workbench's own resize steps (60 px each: 300 → 540 px), as a user would with
// View: Increase Current View Size. Installed only by scripts/sandbox.ts; the tests keep VS Code's own layout.
/* global require, exports, console, setTimeout */
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode');

const DONE = 'sandboxLayout.widened';
const STEPS = 4;

exports.activate = async function activate(context) {
  if (context.globalState.get(DONE)) return;
  await context.globalState.update(DONE, true);
  try {
    // The resize acts on the part that has focus: the side bar, once the view is shown and focused.
    await vscode.commands.executeCommand('workbench.view.extension.arcApimGateway');
    // The workbench lays the grid out again while the view opens and the window settles: resize after that.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (let step = 0; step < STEPS; step++) {
      // Focus may move meanwhile (the tree loading, a notification): the side bar is focused before each step.
      await vscode.commands.executeCommand('workbench.action.focusSideBar');
      await vscode.commands.executeCommand('workbench.action.increaseViewSize');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    console.warn(`sandbox-layout: the side bar was left as it was: ${error instanceof Error ? error.message : String(error)}`);
  }
};

exports.deactivate = function deactivate() {};
