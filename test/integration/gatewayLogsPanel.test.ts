// The Gateway Logs panel inside the real extension host: the commands open it for a saved file and for the sandbox's
// gateway Deployment followed live, and the webview (running in the workbench) acknowledges the rows it stored.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants.ts';
import { parseGatewayLog } from '../../src/gatewayLogs/parser.ts';
import { listGatewayDeployments } from '../../src/commands/gatewayPicker.ts';
import { createKubernetesClients } from '../../src/kubernetes/client.ts';
import type { GatewayLogsPanelHandle } from '../../src/panels/gatewayLogsPanel.ts';
import { waitFor as poll } from '../support/waitFor.ts';

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  await poll(what, check, { timeoutMs, everyMs: 50 });
}

/** A request through the API server's service proxy: the gateway answers it and logs a request record. */
function callGatewayThroughProxy(pathAndQuery: string): Promise<number> {
  const api = process.env.ARC_APIM_SANDBOX_KUBE_API;
  const caFile = process.env.ARC_APIM_SANDBOX_CA_FILE;
  const token = process.env.ARC_APIM_SANDBOX_TOKEN;
  if (!api || !caFile || !token) throw new Error('the sandbox environment (ARC_APIM_SANDBOX_*) is not set');
  const url = `${api}/api/v1/namespaces/apim/services/rb-arc-aks-apimgw-azure-api-management-gateway:5000/proxy${pathAndQuery}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: readFileSync(caFile), headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway logs panel', () => {
  let extensionPath: string;
  const opened: GatewayLogsPanelHandle[] = [];

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    extensionPath = extension.extensionPath;
  });

  after(() => {
    for (const handle of opened) handle.close();
  });

  it('opens a log file and the webview stores every entry of it', async () => {
    const file = path.join(extensionPath, 'test', 'fixtures', 'gateway-logs', 'seed-blog-v1.log');
    const expected = parseGatewayLog(readFileSync(file, 'utf8')).length;
    const handle = await vscode.commands.executeCommand<GatewayLogsPanelHandle | undefined>('arcApimGateway.openLogFile', vscode.Uri.file(file));
    assert.ok(handle, 'the command returned no panel (see the Arc APIM Gateway log)');
    opened.push(handle);
    await waitFor(`${expected} rows acknowledged`, () => handle.delivery().acknowledgedRows >= expected);
    assert.equal(handle.delivery().acknowledgedRows, expected);
    assert.equal(handle.delivery().postedRows, expected);
    // Opening the same file again reveals the same panel rather than a second one.
    const again = await vscode.commands.executeCommand<GatewayLogsPanelHandle>('arcApimGateway.openLogFile', vscode.Uri.file(file));
    assert.equal(again, handle);
  });

  it('finds the gateway Deployment the palette offers to tail', async () => {
    const kubeconfig = process.env.KUBECONFIG;
    assert.ok(kubeconfig, 'KUBECONFIG points at the sandbox');
    const clients = createKubernetesClients(() => [kubeconfig]);
    const found = await listGatewayDeployments(await clients.forContext('rb-arc-aks'));
    assert.deepEqual(
      found.map((d) => `${d.namespace}/${d.name} ${d.ready}/${d.replicas}`),
      ['apim/rb-arc-aks-apimgw 1/1'],
    );
    assert.match(found[0]?.image ?? '', /azure-api-management\/gateway:/);
  });

  it('follows the sandbox gateway Deployment live, re-sends after the webview is hidden, and closes the stream with the panel', async () => {
    const handle = await vscode.commands.executeCommand<GatewayLogsPanelHandle | undefined>('arcApimGateway.tailGatewayLogs', {
      context: 'rb-arc-aks',
      namespace: 'apim',
      deployment: 'rb-arc-aks-apimgw',
    });
    assert.ok(handle, 'the command returned no panel (see the Arc APIM Gateway log)');
    opened.push(handle);
    // The gateway's start-up lines are history the follow begins with.
    await waitFor('start-up entries', () => handle.delivery().acknowledgedRows > 10);

    // A live entry: the blog's request, answered 404 OperationNotFound, logged by the gateway and followed.
    const before = handle.delivery().acknowledgedRows;
    assert.equal(await callGatewayThroughProxy('/echo/resource?param1=sample'), 404);
    await waitFor('the request record to arrive live', () => handle.delivery().acknowledgedRows > before, 15_000);

    // Hidden (another editor in front): the webview's content is dropped; shown again it is sent the snapshot.
    const inFront = vscode.Uri.file(path.join(extensionPath, 'package.json'));
    await vscode.window.showTextDocument(inFront, { viewColumn: vscode.ViewColumn.Active, preview: true });
    await waitFor('the webview to lose its content', () => !handle.delivery().ready, 10_000);
    const acknowledged = handle.delivery().acknowledgedRows;
    handle.reveal();
    await waitFor('the snapshot to be sent again', () => handle.delivery().ready && handle.delivery().acknowledgedRows >= acknowledged + before, 20_000);

    assert.equal(handle.ended, false);
    handle.close();
    await waitFor('the follow to end with the panel', () => handle.ended, 10_000);
  });
});
