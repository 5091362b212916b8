// The sandbox's `az`: answers what @azure/identity 4.14's AzureCliCredential asks —
//   az account get-access-token --output json --resource <resource> [--tenant <t>] [--subscription <s>]
// — with the sandbox ARM emulator's bearer token, in the JSON real az prints (accessToken, expiresOn as local
// "YYYY-MM-DD HH:MM:SS.ffffff", expires_on in epoch seconds, subscription, tenant, tokenType), and fails the way real
// az fails: "Please run 'az login' to setup account." (exit 1) when there is no session or the sandbox is not
// running, AADSTS500011 for a resource the sandbox does not serve, exit 2 for commands it does not know.
//
// The session is the file startSandbox() writes into the sandbox's AZURE_CONFIG_DIR (where real az keeps its own
// login): { armEndpoint, audience, token, caFile, tenantId, subscriptionId, subscriptionName }. Nothing is printed
// but what real az prints: the token only on stdout, only for get-access-token.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

export interface AzSession {
  armEndpoint: string;
  audience: string;
  token: string;
  caFile: string;
  tenantId: string;
  subscriptionId: string;
  subscriptionName: string;
  user?: string;
}

export const SESSION_FILE = 'sandbox-session.json';
const VERSION = '2.67.0';
const LOGIN = "ERROR: Please run 'az login' to setup account.";

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function configDir(): string {
  return process.env.AZURE_CONFIG_DIR || path.join(os.homedir(), '.azure');
}

function readSession(): AzSession {
  let text: string;
  try {
    text = readFileSync(path.join(configDir(), SESSION_FILE), 'utf8');
  } catch {
    fail(LOGIN);
  }
  try {
    return JSON.parse(text) as AzSession;
  } catch {
    fail(`ERROR: the sandbox session in ${configDir()} is damaged. ${LOGIN.replace('ERROR: ', '')}`);
  }
}

/** The sandbox must be up and accept the token, or the session is as good as logged out. */
function probe(session: AzSession): Promise<void> {
  return new Promise((resolve) => {
    let ca: Buffer;
    try {
      ca = readFileSync(session.caFile);
    } catch {
      fail(`ERROR: The sandbox is not running (its CA ${session.caFile} is gone). ${LOGIN.replace('ERROR: ', '')}`);
    }
    const url = new URL('/sandbox/v1/arm-requests?since=9007199254740991', session.armEndpoint);
    const req = https.request(url, { method: 'GET', ca, headers: { Authorization: `Bearer ${session.token}` }, timeout: 5000 }, (res) => {
      res.resume();
      if (res.statusCode === 200) resolve();
      else fail(`ERROR: AADSTS50173: The sandbox at ${session.armEndpoint} refused the session (HTTP ${res.statusCode}). ${LOGIN.replace('ERROR: ', '')}`);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => fail(`ERROR: The sandbox at ${session.armEndpoint} is not running (${(error as NodeJS.ErrnoException).code ?? error.message}). ${LOGIN.replace('ERROR: ', '')}`));
    req.end();
  });
}

function normalize(resource: string): string {
  return resource.trim().replace(/\/\.default$/, '').replace(/\/+$/, '').toLowerCase();
}

/** Local time the way az prints expiresOn (Python's str(datetime): no zone). */
function localDateTime(date: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds() * 1000, 6)}`;
}

export function parseArgs(argv: string[]): { words: string[]; options: Map<string, string | true> } {
  const words: string[] = [];
  const options = new Map<string, string | true>();
  const aliases: Record<string, string> = { '-o': '--output', '-t': '--tenant', '-s': '--subscription', '-h': '--help' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('-')) {
      const [rawName, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      const name = aliases[rawName] ?? rawName;
      const next = argv[i + 1];
      if (inline !== undefined) options.set(name, inline);
      else if (next !== undefined && !next.startsWith('-')) {
        options.set(name, next);
        i++;
      } else options.set(name, true);
    } else words.push(arg);
  }
  return { words, options };
}

async function getAccessToken(options: Map<string, string | true>): Promise<void> {
  const output = options.get('--output') ?? 'json';
  if (output !== 'json') fail(`ERROR: the sandbox's az prints --output json only (got ${String(output)})`, 2);
  const resourceOption = options.get('--resource');
  const scopeOption = options.get('--scope');
  const resourceType = options.get('--resource-type');
  if (resourceOption === true || scopeOption === true) fail('ERROR: argument --resource/--scope: expected one argument', 2);
  if (resourceOption !== undefined && scopeOption !== undefined) fail('ERROR: usage error: --resource and --scope are mutually exclusive', 2);
  const session = readSession();
  await probe(session);
  // Without --resource az asks for ARM of the active cloud: in the sandbox that is the emulator.
  const requested = typeof resourceOption === 'string' ? resourceOption : typeof scopeOption === 'string' ? scopeOption : resourceType === 'arm' || resourceType === undefined ? session.audience : String(resourceType);
  if (normalize(requested) !== normalize(session.audience)) {
    fail(
      `ERROR: AADSTS500011: The resource principal named ${requested} was not found in the tenant named ${session.tenantId}. ` +
        'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
        'You might have sent your authentication request to the wrong tenant.',
    );
  }
  const tenant = options.get('--tenant');
  if (typeof tenant === 'string' && tenant.toLowerCase() !== session.tenantId.toLowerCase()) {
    fail(`ERROR: AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ${LOGIN.replace('ERROR: ', '')}`);
  }
  const subscription = options.get('--subscription');
  if (typeof subscription === 'string' && subscription.toLowerCase() !== session.subscriptionId.toLowerCase() && subscription !== session.subscriptionName) {
    fail(`ERROR: Subscription '${subscription}' not found. Check the spelling and casing and try again.`);
  }
  // The sandbox's token does not expire; az tokens live about an hour, so clients ask again as they would.
  const expires = new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
  process.stdout.write(
    `${JSON.stringify(
      {
        accessToken: session.token,
        expiresOn: localDateTime(expires),
        expires_on: Math.floor(expires.getTime() / 1000),
        subscription: session.subscriptionId,
        tenant: session.tenantId,
        tokenType: 'Bearer',
      },
      null,
      2,
    )}\n`,
  );
}

async function accountShow(): Promise<void> {
  const session = readSession();
  await probe(session);
  process.stdout.write(
    `${JSON.stringify(
      {
        environmentName: 'ArcApimSandbox',
        id: session.subscriptionId,
        isDefault: true,
        name: session.subscriptionName,
        state: 'Enabled',
        tenantId: session.tenantId,
        user: { name: session.user ?? 'sandbox@example.com', type: 'user' },
      },
      null,
      2,
    )}\n`,
  );
}

async function main(argv: string[]): Promise<void> {
  const { words, options } = parseArgs(argv);
  if (options.has('--version') || words[0] === 'version') {
    process.stdout.write(`azure-cli                         ${VERSION} (arc-apim-gateway sandbox stand-in)\n`);
    return;
  }
  const command = words.join(' ');
  if (command === 'account get-access-token') return getAccessToken(options);
  if (command === 'account show') return accountShow();
  if (words[0] === 'login') {
    fail("ERROR: the sandbox's az is signed in while the sandbox runs (npm run sandbox, or startSandbox() in tests); there is nothing to log in to.");
  }
  if (words.length === 0) fail("ERROR: the sandbox's az knows: account get-access-token, account show, --version", 2);
  fail(`ERROR: '${command}' is misspelled or not recognized by the system (the sandbox's az knows: account get-access-token, account show, --version).`, 2);
}

if (import.meta.main) main(process.argv.slice(2)).catch((error: unknown) => fail(`ERROR: ${error instanceof Error ? error.message : String(error)}`));
