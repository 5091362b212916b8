// The HTTP face of the emulator: URL routing, content negotiation (JSON, YAML, protobuf in; JSON and Tables out),
// watch streams, pod logs and the service/pod proxy, answering with the status codes, headers and Status bodies
// that kubectl and @kubernetes/client-node were observed to expect (see shared notes/kubernetes-protocol.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import { podsType, type DeleteOptions, type KubeApi, type PatchType } from './api.ts';
import { ConnectionRefused, type SimResponse } from './containers.ts';
import type { Kubelet } from './kubelet.ts';
import { nodeIP } from './kubelet.ts';
import { Follower, stampOf, type CutMode, type LogQuery } from './logs.ts';
import { NetworkError, type ClusterNetwork } from './network.ts';
import { decodeKubernetesProtobuf, UnsupportedProtobufKind } from './protobuf.ts';
import {
  apiVersionOf, discoveryDocument, findByPath, openApiGroupVersion, openApiRoot, type ResourceType,
} from './resources.ts';
import {
  ApiError, badRequest, invalid, methodNotAllowed, notAcceptable, notFound, serviceUnavailable, unauthorized,
  unsupportedMediaType, type FieldError, type StatusObject,
} from './status.ts';
import type { StoreEvent } from './store.ts';
import { toTable, type IncludeObject } from './tables.ts';
import { clone, isObject, type Deployment, type KubeObject, type Pod } from './types.ts';
import { Controllers } from './controllers.ts';

export const serverVersion = {
  major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean', buildDate: '2025-04-22T16:02:27Z', goVersion: 'go1.23.6', compiler: 'gc',
  platform: 'linux/amd64',
};

type Output = 'json' | 'table' | 'partial' | 'yaml';

const inputTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'authorization', 'content-length']);

const maxBody = 3 * 1024 * 1024;

export interface RestOptions {
  token: string;
  serverAddress: () => string;
  bookmarkIntervalMs: number;
  latencyMs: () => number;
  faultHandler: (name: string, body: unknown) => unknown;
  logRecord: (namespace: string, pod: string, container: string | undefined) => unknown;
}

interface OpenWatch {
  res: ServerResponse;
  close(mode: CutMode): void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class RestHandler {
  private readonly api: KubeApi;
  private readonly kubelet: Kubelet;
  private readonly network: ClusterNetwork;
  private readonly options: RestOptions;
  readonly watches = new Set<OpenWatch>();
  readonly followers = new Set<Follower>();
  private closed = false;

  constructor(api: KubeApi, kubelet: Kubelet, network: ClusterNetwork, options: RestOptions) {
    this.api = api;
    this.kubelet = kubelet;
    this.network = network;
    this.options = options;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof ApiError) this.sendStatus(res, e.status);
      else {
        const message = e instanceof Error ? e.message : String(e);
        this.sendStatus(res, new ApiError(500, 'InternalError', `Internal error occurred: ${message}`).status);
      }
    }
  }

  private sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
    const text = JSON.stringify(body) + '\n';
    res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sendStatus(res: ServerResponse, status: StatusObject): void {
    this.sendJson(res, status.code, status);
  }

  private sendObject(res: ServerResponse, code: number, object: unknown, output: Output, resource?: ResourceType): void {
    if (output === 'yaml') {
      const text = YAML.stringify(object);
      res.writeHead(code, { 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if ((output === 'table' || output === 'partial') && resource && isObject(object) && object['kind'] === resource.kind) {
      const o = object as KubeObject;
      if (output === 'table') {
        this.sendJson(res, code, toTable(resource.kind, apiVersionOf(resource), [o], { resourceVersion: o.metadata.resourceVersion ?? '' }));
      } else {
        this.sendJson(res, code, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });
      }
      return;
    }
    this.sendJson(res, code, object);
  }

  private authenticated(req: IncomingMessage): boolean | 'anonymous' {
    const header = req.headers.authorization;
    if (!header) return 'anonymous';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    return !!m && m[1]!.trim() === this.options.token;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const auth = this.authenticated(req);
    // system:public-info-viewer lets anyone read these, as on a default cluster (the kubectl dispatcher asks /version first).
    const publicPath = ['/version', '/healthz', '/livez', '/readyz'].includes(path);
    if (auth === false || (auth === 'anonymous' && !publicPath)) throw unauthorized();
    const latency = this.options.latencyMs();
    if (latency > 0) await sleep(latency);
    if (this.closed) throw serviceUnavailable('the server is shutting down');

    if (path === '/version') return this.sendJson(res, 200, serverVersion);
    if (publicPath) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('ok');
      return;
    }
    if (path.startsWith('/sandbox/v1/')) return this.sandboxRoute(req, res, path, method);
    const discovery = discoveryDocument(path, this.options.serverAddress());
    if (discovery && method === 'GET') return this.sendJson(res, 200, discovery);
    if (path === '/openapi/v3' && method === 'GET') return this.sendJson(res, 200, openApiRoot());
    const gvDoc = path.startsWith('/openapi/v3/') && method === 'GET' ? openApiGroupVersion(path) : undefined;
    if (gvDoc) return this.sendJson(res, 200, gvDoc);

    let group: '' | 'apps';
    let rest: string[];
    if (path.startsWith('/api/v1/')) { group = ''; rest = path.slice('/api/v1/'.length).split('/'); }
    else if (path.startsWith('/apis/apps/v1/')) { group = 'apps'; rest = path.slice('/apis/apps/v1/'.length).split('/'); }
    else throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    rest = rest.map((s) => decodeURIComponent(s));

    let namespace: string | undefined;
    let resource: ResourceType | undefined;
    let name: string | undefined;
    let sub: string[];
    if (rest[0] === 'namespaces' && rest.length >= 3 && group === '' && !['status', 'finalize'].includes(rest[2]!)) {
      namespace = rest[1];
      resource = findByPath(group, rest[2]!);
      name = rest[3];
      sub = rest.slice(4);
    } else if (rest[0] === 'namespaces' && rest.length >= 3 && group === 'apps') {
      namespace = rest[1];
      resource = findByPath(group, rest[2]!);
      name = rest[3];
      sub = rest.slice(4);
    } else {
      resource = findByPath(group, rest[0]!);
      name = rest[1];
      sub = rest.slice(2);
    }
    if (!resource || (namespace !== undefined && !resource.namespaced) || (namespace === undefined && name !== undefined && resource.namespaced)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    }
    const query = url.searchParams;
    const output = this.negotiate(req.headers.accept);

    if (name === undefined) return this.collection(req, res, method, resource, namespace, query, output);
    if (sub.length === 0) return this.item(req, res, method, resource, namespace, name, query, output);
    const subresource = sub[0]!;
    if (subresource === 'proxy' && (resource.plural === 'services' || resource.plural === 'pods')) {
      const rawPath = (req.url ?? '').split('?')[0]!;
      const marker = rawPath.indexOf('/proxy');
      // Go decodes the request path and re-escapes it for the backend request, so `%2F` arrives as `/`.
      let decoded: string;
      try { decoded = decodeURIComponent(rawPath.slice(marker + '/proxy'.length)); } catch { throw badRequest('invalid URL escape'); }
      const backendPath = (encodeURI(decoded).replace(/\?/g, '%3F').replace(/#/g, '%23') || '/') + url.search;
      return this.proxy(req, res, resource, namespace ?? '', name, backendPath);
    }
    if (sub.length !== 1 || !resource.subresources.some((s) => s.name === subresource)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    }
    if (resource === podsType && subresource === 'log') {
      if (method !== 'GET') throw methodNotAllowed();
      return this.logs(res, namespace ?? '', name, query);
    }
    if (['exec', 'attach', 'portforward'].includes(subresource)) {
      throw badRequest('Upgrade request required');
    }
    if (subresource === 'scale') return this.scale(req, res, method, resource, namespace ?? '', name, query);
    if (subresource === 'status') return this.item(req, res, method, resource, namespace, name, query, output, 'status');
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  }

  private negotiate(accept: string | undefined): Output {
    if (!accept) return 'json';
    const types = accept.split(',').map((t) => t.trim().toLowerCase());
    for (const t of types) {
      const [media, ...params] = t.split(';').map((p) => p.trim());
      const as = params.find((p) => p.startsWith('as='))?.slice(3);
      if (media === 'application/json' && as === 'table') return 'table';
      if (media === 'application/json' && (as === 'partialobjectmetadata' || as === 'partialobjectmetadatalist')) return 'partial';
      if (media === 'application/json' && !as) return 'json';
      if (media === 'application/yaml' && !as) return 'yaml';
      if (media === '*/*' || media === 'application/*') return 'json';
    }
    throw notAcceptable(['application/json', 'application/yaml']);
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) throw new ApiError(413, 'RequestEntityTooLarge', 'the server has received too large of a request body');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async decodeBody(req: IncomingMessage, allowPatch: boolean): Promise<{ body: unknown; patchType?: PatchType }> {
    const raw = await this.readBody(req);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (allowPatch) {
      const patchType = patchTypes[contentType];
      if (!patchType) {
        throw unsupportedMediaType(contentType, Object.keys(patchTypes));
      }
      if (patchType === 'apply') return { body: this.parseYaml(raw), patchType };
      return { body: this.parseJson(raw), patchType };
    }
    switch (contentType) {
      case 'application/json': return { body: this.parseJson(raw) };
      case 'application/yaml': return { body: this.parseYaml(raw) };
      case 'application/vnd.kubernetes.protobuf':
        try {
          return { body: decodeKubernetesProtobuf(raw) };
        } catch (e) {
          if (e instanceof UnsupportedProtobufKind) throw unsupportedMediaType(contentType, ['application/json', 'application/yaml']);
          throw badRequest(`the body of the request could not be decoded: ${e instanceof Error ? e.message : String(e)}`);
        }
      default:
        throw unsupportedMediaType(contentType, inputTypes);
    }
  }

  private parseJson(raw: Buffer): unknown {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private parseYaml(raw: Buffer): unknown {
    try {
      return YAML.parse(raw.toString('utf8'));
    } catch (e) {
      throw badRequest(`error decoding YAML: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private fieldManager(req: IncomingMessage, query: URLSearchParams): string {
    const explicit = query.get('fieldManager');
    if (explicit) return explicit;
    // managerOrUserAgent: the User-Agent up to its first '/', as the real apiserver records unnamed writers.
    const ua = req.headers['user-agent'] ?? 'unknown';
    return ua.split('/')[0]!.slice(0, 128) || 'unknown';
  }

  /**
   * PatchOptions are checked before the body is read or the object looked up, as apimachinery's
   * ValidatePatchOptions does: an apply needs a fieldManager, `force` belongs to apply alone.
   */
  private validatePatchOptions(req: IncomingMessage, query: URLSearchParams): void {
    const apply = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/apply-patch+yaml';
    const manager = query.get('fieldManager') ?? '';
    const errors: FieldError[] = [];
    if (apply && manager === '') errors.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
    if (!apply && query.get('force') !== null) errors.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
    if (errors.length > 0) throw invalid('PatchOptions', 'meta.k8s.io', '', errors);
  }

  private dryRun(query: URLSearchParams): boolean {
    const v = query.get('dryRun');
    if (v && v !== 'All') throw badRequest(`Invalid dry run value: ${v}`);
    return v === 'All';
  }

  private async collection(req: IncomingMessage, res: ServerResponse, method: string, resource: ResourceType,
    namespace: string | undefined, query: URLSearchParams, output: Output): Promise<void> {
    const listOptions = {
      ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
      ...(query.get('fieldSelector') ? { fieldSelector: query.get('fieldSelector')! } : {}),
      ...(query.get('limit') ? { limit: Number(query.get('limit')) } : {}),
      ...(query.get('continue') ? { continue: query.get('continue')! } : {}),
    };
    if (method === 'GET') {
      const watch = query.get('watch');
      if (watch === 'true' || watch === '1') return this.watch(res, resource, namespace, query, output);
      const list = this.api.list(resource, namespace, listOptions);
      if (output === 'table') {
        return this.sendJson(res, 200, toTable(resource.kind, apiVersionOf(resource), list.items, list.metadata, this.includeObject(query)));
      }
      if (output === 'partial') {
        return this.sendJson(res, 200, {
          kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: list.metadata,
          items: list.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })),
        });
      }
      return this.sendObject(res, 200, list, output);
    }
    if (method === 'POST') {
      if (resource.namespaced && namespace === undefined) throw methodNotAllowed();
      const { body } = await this.decodeBody(req, false);
      if (!isObject(body)) throw badRequest('the body of the request must be an object');
      const created = this.api.create(resource, namespace, body as KubeObject, {
        fieldManager: this.fieldManager(req, query), dryRun: this.dryRun(query),
      });
      return this.sendObject(res, 201, created, output, resource);
    }
    if (method === 'DELETE') {
      const options = await this.deleteOptions(req, query);
      const result = this.api.deleteCollection(resource, namespace, listOptions, options);
      return this.sendObject(res, 200, result, output);
    }
    throw methodNotAllowed();
  }

  private includeObject(query: URLSearchParams): IncludeObject {
    const v = query.get('includeObject');
    return v === 'None' || v === 'Object' ? v : 'Metadata';
  }

  private async deleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
    const raw = await this.readBody(req);
    let body: Record<string, unknown> = {};
    if (raw.length > 0) {
      const parsed = this.parseJson(raw);
      if (isObject(parsed)) body = parsed;
    }
    const options: DeleteOptions = {};
    const grace = query.get('gracePeriodSeconds') ?? (body['gracePeriodSeconds'] !== undefined ? String(body['gracePeriodSeconds']) : null);
    if (grace !== null) options.gracePeriodSeconds = Number(grace);
    const policy = query.get('propagationPolicy') ?? (body['propagationPolicy'] as string | undefined);
    if (policy) {
      if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
        throw invalid('DeleteOptions', '', '', [{ type: 'FieldValueNotSupported', field: 'propagationPolicy', value: policy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' }]);
      }
      options.propagationPolicy = policy as DeleteOptions['propagationPolicy'] & string;
    }
    if (body['orphanDependents'] === true) options.propagationPolicy = 'Orphan';
    if (isObject(body['preconditions'])) options.preconditions = body['preconditions'] as DeleteOptions['preconditions'] & object;
    const dry = query.get('dryRun') ?? (Array.isArray(body['dryRun']) ? (body['dryRun'] as string[])[0] : undefined);
    if (dry === 'All') options.dryRun = true;
    return options;
  }

  private async item(req: IncomingMessage, res: ServerResponse, method: string, resource: ResourceType,
    namespace: string | undefined, name: string, query: URLSearchParams, output: Output, subresource?: string): Promise<void> {
    const writeOptions = {
      fieldManager: this.fieldManager(req, query),
      dryRun: this.dryRun(query),
      ...(subresource ? { subresource } : {}),
    };
    switch (method) {
      case 'GET':
        return this.sendObject(res, 200, this.api.get(resource, namespace, name), output, resource);
      case 'PUT': {
        const { body } = await this.decodeBody(req, false);
        if (!isObject(body)) throw badRequest('the body of the request must be an object');
        const { object, created } = this.api.update(resource, namespace, name, body as KubeObject, writeOptions);
        return this.sendObject(res, created ? 201 : 200, object, output, resource);
      }
      case 'PATCH': {
        this.validatePatchOptions(req, query);
        const { body, patchType } = await this.decodeBody(req, true);
        const force = query.get('force');
        const { object, created } = this.api.patch(resource, namespace, name, patchType!, body, {
          ...writeOptions,
          fieldManager: patchType === 'apply' ? query.get('fieldManager') ?? '' : writeOptions.fieldManager,
          force: force === 'true',
        });
        return this.sendObject(res, created ? 201 : 200, object, output, resource);
      }
      case 'DELETE': {
        if (subresource) throw methodNotAllowed();
        const options = await this.deleteOptions(req, query);
        const result = this.api.delete(resource, namespace, name, options);
        const graceful = result.kind !== 'Status' && (result as KubeObject).metadata.deletionTimestamp !== undefined
          && this.api.find(resource, namespace, name) !== undefined;
        // A graceful deletion is accepted (202), an immediate one done (200), as the generic registry answers.
        return this.sendObject(res, graceful && resource !== podsType ? 202 : 200, result, output === 'table' ? 'json' : output, resource);
      }
      default:
        throw methodNotAllowed();
    }
  }

  private async scale(req: IncomingMessage, res: ServerResponse, method: string, resource: ResourceType,
    namespace: string, name: string, query: URLSearchParams): Promise<void> {
    const toScale = (o: KubeObject) => {
      const d = o as Deployment;
      return {
        kind: 'Scale', apiVersion: 'autoscaling/v1',
        metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
        spec: { replicas: d.spec.replicas ?? 1 },
        status: { replicas: Number(d.status?.['replicas'] ?? 0), selector: Controllers.selectorString(d) },
      };
    };
    const current = this.api.get(resource, namespace, name);
    if (method === 'GET') return this.sendJson(res, 200, toScale(current));
    let replicas: unknown;
    if (method === 'PUT') {
      const { body } = await this.decodeBody(req, false);
      replicas = isObject(body) && isObject(body['spec']) ? body['spec']['replicas'] : undefined;
    } else if (method === 'PATCH') {
      const { body, patchType } = await this.decodeBody(req, true);
      const patched = this.applyScalePatch(toScale(current), patchType!, body);
      replicas = patched.spec.replicas;
    } else throw methodNotAllowed();
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Scale', 'autoscaling', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' }]);
    }
    const next = clone(current) as Deployment;
    next.spec.replicas = replicas;
    const { object } = this.api.update(resource, namespace, name, next, { fieldManager: this.fieldManager(req, query) });
    this.sendJson(res, 200, toScale(object));
  }

  private applyScalePatch(scale: { spec: { replicas: number } }, type: PatchType, body: unknown): { spec: { replicas: unknown } } {
    if (type === 'json' && Array.isArray(body)) {
      for (const op of body as { op: string; path: string; value: unknown }[]) {
        if (op.path === '/spec/replicas' && (op.op === 'replace' || op.op === 'add')) scale.spec.replicas = op.value as number;
      }
      return scale;
    }
    if (isObject(body) && isObject(body['spec']) && 'replicas' in body['spec']) return { spec: { replicas: body['spec']['replicas'] } };
    return scale;
  }

  // ---- watch -----------------------------------------------------------------------------------------------------

  private watch(res: ServerResponse, resource: ResourceType, namespace: string | undefined, query: URLSearchParams, output: Output): void {
    const matches = this.api.filter(resource, {
      ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
      ...(query.get('fieldSelector') ? { fieldSelector: query.get('fieldSelector')! } : {}),
    });
    const rv = query.get('resourceVersion') ?? '';
    const bookmarks = query.get('allowWatchBookmarks') === 'true';
    const sendInitialEvents = query.get('sendInitialEvents') === 'true';
    const timeoutSeconds = query.get('timeoutSeconds');
    const apiVersion = apiVersionOf(resource);
    const table = output === 'table';
    const includeObject = this.includeObject(query);
    if (rv !== '' && !/^\d+$/.test(rv)) {
      throw invalid('ListOptions', 'meta.k8s.io', '', [{ type: 'FieldValueInvalid', field: 'resourceVersion', value: rv, detail: 'must be a valid resource version' }]);
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const inScope = (o: KubeObject) => namespace === undefined || o.metadata.namespace === namespace;
    const encode = (type: string, object: KubeObject) => {
      const full = { ...object, kind: resource.kind, apiVersion };
      const payload = table ? toTable(resource.kind, apiVersion, [full], { resourceVersion: object.metadata.resourceVersion ?? '' }, includeObject) : full;
      return JSON.stringify({ type, object: payload }) + '\n';
    };
    const translate = (event: StoreEvent): string | undefined => {
      if (event.resource !== resource) return undefined;
      const now = inScope(event.object) && matches(event.object);
      const before = event.previous !== undefined && inScope(event.previous) && matches(event.previous);
      if (event.type === 'ADDED') return now ? encode('ADDED', event.object) : undefined;
      if (event.type === 'DELETED') return before || now ? encode('DELETED', event.object) : undefined;
      if (now && before) return encode('MODIFIED', event.object);
      if (now) return encode('ADDED', event.object);
      if (before) return encode('DELETED', event.object);
      return undefined;
    };
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    const unsubscribe = this.api.store.subscribe((event) => {
      if (closed) return;
      const line = translate(event);
      if (line) res.write(line);
    });
    const open: OpenWatch = {
      res,
      close: (mode) => {
        if (closed) return;
        if (mode === 'reset') res.destroy();
        else res.end();
        cleanup();
      },
    };
    const cleanup = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const t of timers) { clearTimeout(t); clearInterval(t); }
      this.watches.delete(open);
    };
    this.watches.add(open);
    res.on('close', cleanup);
    const bookmark = (annotations?: Record<string, string>) => {
      const rvNow = String(this.api.store.resourceVersion);
      const object = table
        ? { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: rvNow }, columnDefinitions: null, rows: null }
        : { kind: resource.kind, apiVersion, metadata: { resourceVersion: rvNow, ...(annotations ? { annotations } : {}) } };
      res.write(JSON.stringify({ type: 'BOOKMARK', object }) + '\n');
    };
    if (rv === '' || rv === '0') {
      const initial = this.api.store.scan(resource, namespace).filter(matches);
      let chunk = '';
      for (const o of initial) chunk += encode('ADDED', o);
      if (chunk) res.write(chunk);
      if (sendInitialEvents && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else {
      const events = this.api.store.since(Number(rv));
      if (events === undefined) {
        const status = new ApiError(410, 'Expired', `too old resource version: ${rv} (${this.api.store.oldestWatchable})`).status;
        res.end(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
        cleanup();
        return;
      }
      let chunk = '';
      for (const e of events) chunk += translate(e) ?? '';
      if (chunk) res.write(chunk);
    }
    if (bookmarks) timers.push(setInterval(() => bookmark(), this.options.bookmarkIntervalMs));
    // Without timeoutSeconds the real apiserver still ends a watch after a random 30–60 minutes (min-request-timeout).
    const timeout = timeoutSeconds !== null ? Number(timeoutSeconds) * 1000 : (1800 + Math.random() * 1800) * 1000;
    timers.push(setTimeout(() => open.close('end'), timeout));
  }

  // ---- logs ------------------------------------------------------------------------------------------------------

  private logs(res: ServerResponse, namespace: string, name: string, query: URLSearchParams): void {
    const pod = this.api.get(podsType, namespace, name) as Pod;
    const intParam = (key: string): number | undefined => {
      const v = query.get(key);
      if (v === null || v === '') return undefined;
      if (!/^-?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
      return Number(v);
    };
    const tailLines = intParam('tailLines');
    const sinceSeconds = intParam('sinceSeconds');
    const limitBytes = intParam('limitBytes');
    const sinceTimeRaw = query.get('sinceTime');
    const errors = [];
    if (tailLines !== undefined && tailLines < 0) errors.push({ type: 'FieldValueInvalid' as const, field: 'tailLines', value: tailLines, detail: 'must be greater than or equal to 0' });
    if (sinceSeconds !== undefined && sinceSeconds < 1) errors.push({ type: 'FieldValueInvalid' as const, field: 'sinceSeconds', value: sinceSeconds, detail: 'must be greater than 0' });
    if (limitBytes !== undefined && limitBytes < 1) errors.push({ type: 'FieldValueInvalid' as const, field: 'limitBytes', value: limitBytes, detail: 'must be greater than 0' });
    if (sinceSeconds !== undefined && sinceTimeRaw) errors.push({ type: 'FieldValueForbidden' as const, field: '', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
    if (errors.length) throw invalid('PodLogOptions', '', name, errors);
    let since: string | undefined;
    if (sinceTimeRaw) {
      const parsed = Date.parse(sinceTimeRaw);
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTimeRaw) || Number.isNaN(parsed)) {
        throw badRequest(`parsing time "${sinceTimeRaw}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTimeRaw}" as "2006"`);
      }
      // The apiserver forwards sinceTime to the kubelet formatted as RFC3339, i.e. cut to whole seconds.
      since = stampOf(new Date(Math.floor(parsed / 1000) * 1000));
    } else if (sinceSeconds !== undefined) {
      since = stampOf(new Date(Date.now() - sinceSeconds * 1000));
    }
    const log = this.kubelet.logFor(pod, query.get('container') ?? undefined, query.get('previous') === 'true');
    const logQuery: LogQuery = {
      timestamps: query.get('timestamps') === 'true',
      ...(tailLines !== undefined ? { tailLines } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(limitBytes !== undefined ? { limitBytes } : {}),
    };
    const follow = query.get('follow') === 'true' && query.get('previous') !== 'true';
    if (!follow || log.isEnded) {
      const start = log.startIndex(logQuery);
      let body = Buffer.from(log.render(start, log.written, logQuery.timestamps));
      if (limitBytes !== undefined) body = body.subarray(0, limitBytes);
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length, 'Cache-Control': 'no-cache, private' });
      res.end(body);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const follower: Follower = new Follower(log, res, logQuery, `${namespace}/${name}`, () => this.followers.delete(follower));
    this.followers.add(follower);
  }

  // ---- proxy -----------------------------------------------------------------------------------------------------

  private async proxy(req: IncomingMessage, res: ServerResponse, resource: ResourceType, namespace: string, id: string, backendPath: string): Promise<void> {
    const location = resource.plural === 'services' ? this.network.serviceLocation(namespace, id) : this.network.podLocation(namespace, id);
    const body = await this.readBody(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || hopByHop.has(k)) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const client = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${client}` : client;
    if (body.length > 0) headers['content-length'] = String(body.length);
    const target = `${location.ip}:${location.port}`;
    let response: SimResponse;
    try {
      // The apiserver's proxy dialer gives up after 30 s.
      response = await Promise.race([
        this.network.connect(location.ip, location.port, {
          scheme: location.scheme, method: req.method ?? 'GET', path: backendPath, host: target, headers, body,
          remoteAddress: nodeIP, port: location.port,
        }),
        new Promise<never>((_resolve, reject) => {
          const t = setTimeout(() => reject(new NetworkError('ETIMEDOUT', 'i/o timeout')), 30_000);
          t.unref();
        }),
      ]);
    } catch (e) {
      if (e instanceof ConnectionRefused) throw serviceUnavailable(`error trying to reach service: dial tcp ${target}: connect: connection refused`);
      if (e instanceof NetworkError && e.code === 'ETIMEDOUT') throw serviceUnavailable(`error trying to reach service: dial tcp ${target}: i/o timeout`);
      if (e instanceof NetworkError) throw serviceUnavailable(`error trying to reach service: read tcp ${nodeIP}:${40000 + Math.floor(Math.random() * 20000)}->${target}: read: connection reset by peer`);
      throw e;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) {
      if (!hopByHop.has(k.toLowerCase())) out[k] = v;
    }
    out['Content-Length'] = String(response.body.length);
    res.writeHead(response.status, out);
    res.end(req.method === 'HEAD' ? undefined : response.body);
  }

  // ---- sandbox control -------------------------------------------------------------------------------------------

  private async sandboxRoute(req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
    const fault = /^\/sandbox\/v1\/faults\/([A-Za-z]+)$/.exec(path);
    if (fault) {
      if (method !== 'POST') throw methodNotAllowed();
      const raw = await this.readBody(req);
      const body = raw.length ? this.parseJson(raw) : {};
      return this.sendJson(res, 200, this.options.faultHandler(fault[1]!, body) ?? {});
    }
    const record = /^\/sandbox\/v1\/pods\/([^/]+)\/([^/]+)\/log-record$/.exec(path);
    if (record && method === 'GET') {
      const container = new URL(req.url ?? '/', 'https://sandbox').searchParams.get('container') ?? undefined;
      return this.sendJson(res, 200, this.options.logRecord(decodeURIComponent(record[1]!), decodeURIComponent(record[2]!), container));
    }
    throw notFound('sandbox', '', path);
  }

  close(): void {
    this.closed = true;
    for (const w of [...this.watches]) w.close('end');
    for (const f of [...this.followers]) f.cut(0, 'end');
  }
}

