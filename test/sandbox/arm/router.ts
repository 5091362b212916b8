// Route table with ARM's path rules: literal segments compare case-insensitively (the hybrid SDK writes
// `resourcegroups`, the others `resourceGroups`), names keep the case the client sent and are percent-decoded (APIM
// revision ids arrive as `echo-api%3Brev%3D2`). One path may have several routes, one per method set, so a known
// path with an unsupported method can be told apart from an unknown path.
import { ArmError, type ArmRequest, type ArmResponse } from './http.ts';

export type Handler = (request: ArmRequest) => ArmResponse | Promise<ArmResponse>;

/** Which api-versions a resource type accepts, and how ARM names the type when it refuses one. */
export interface ApiVersionRule {
  namespace: string;
  type: string;
  versions: readonly string[];
}

export interface Route {
  methods: readonly string[];
  /** `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/…`; `{name}` captures one segment. */
  pattern: string;
  apiVersions: ApiVersionRule;
  handler: Handler;
}

type Segment = { literal: string } | { param: string };

interface CompiledRoute extends Route {
  segments: Segment[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  readonly #routes: CompiledRoute[] = [];

  add(...routes: Route[]): void {
    for (const route of routes) {
      const segments = route.pattern.split('/').filter((s) => s !== '').map((s): Segment => {
        const param = /^\{(\w+)\}$/.exec(s);
        return param ? { param: param[1] ?? '' } : { literal: s.toLowerCase() };
      });
      this.#routes.push({ ...route, segments });
    }
  }

  /** Every route whose pattern fits the path, whatever its methods. */
  match(rawPath: string): RouteMatch[] {
    const parts = splitPath(rawPath);
    const found: RouteMatch[] = [];
    for (const route of this.#routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const segment = route.segments[i];
        const part = parts[i] ?? '';
        if (!segment) ok = false;
        else if ('literal' in segment) ok = part.toLowerCase() === segment.literal;
        else params[segment.param] = part;
      }
      if (ok) found.push({ route, params });
    }
    return found;
  }
}

/** Decoded path segments; empty segments (doubled or trailing slashes) are dropped as ARM's front door does. */
export function splitPath(rawPath: string): string[] {
  return rawPath.split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ArmError(400, 'InvalidRequestUri', `The request URI '${rawPath}' is not valid: malformed percent-encoding.`);
    }
  });
}
