// What a test request is, before and after it is built, and what a transport gives back. Pure types.
import type { ObservedResponse } from '../diagnosis/types.ts';

export type Scheme = 'http' | 'https';

/** What the user asked for. Either `apiPath` + `urlTemplate` (from ARM) or a `path` typed by hand. */
export interface TestRequestSpec {
  method: string;
  /** The API's URL suffix (`echo`), no leading slash needed. */
  apiPath?: string;
  /** The operation's URL template (`/resource`, `/users/{id}`, `/files/{*rest}`, `/search?q={q}`). */
  urlTemplate?: string;
  /** Values for the template's `{parameters}`; a missing one is an error from `buildTestRequest`. */
  templateValues?: Readonly<Record<string, string>>;
  /** A path (and query) typed by hand, used when there is no template. */
  path?: string;
  /** Query parameters appended after the template's own. */
  query?: readonly (readonly [string, string])[];
  headers?: readonly (readonly [string, string])[];
  body?: string;
  /** Sent as `Ocp-Apim-Subscription-Key`; never logged, shown or put in an error. */
  subscriptionKey?: string;
}

/** The gateway Service port the request goes to. */
export interface GatewayEndpoint {
  namespace: string;
  service: string;
  port: number;
  scheme: Scheme;
}

export interface BuiltRequest {
  method: string;
  endpoint: GatewayEndpoint;
  /** Path and query exactly as sent (`/echo/resource?param1=sample`). */
  pathAndQuery: string;
  /** `http://svc.ns:5000/echo/resource?param1=sample`: what an in-cluster client calls, and what diagnosis reads. */
  url: string;
  /** Headers to send, the subscription key NOT among them (see `subscriptionKey`). */
  headers: readonly (readonly [string, string])[];
  body?: string;
  subscriptionKey?: string;
}

export type TransportKind = 'service-proxy' | 'curl-pod' | 'direct';

export interface TransportResult {
  transport: TransportKind;
  response: ObservedResponse;
  /** When the request left and when its answer was in (epoch ms). */
  sentAt: number;
  receivedAt: number;
  /** What was done, safe to show: the proxy path or the curl command line with the key masked. */
  description: string;
  /** The URL as actually sent when it differs from `request.url` (the direct transport's external address). */
  url?: string;
}

export interface SendOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** What is happening now, in a few words (the curl pod coming up: `Pod test-request-x7k2: ContainerCreating`). */
  progress?: (text: string) => void;
}

/** Sends a built request to the gateway through some way into the cluster. */
export interface RequestTransport {
  readonly kind: TransportKind;
  send(request: BuiltRequest, options: SendOptions): Promise<TransportResult>;
}

export const SUBSCRIPTION_KEY_HEADER = 'Ocp-Apim-Subscription-Key';
