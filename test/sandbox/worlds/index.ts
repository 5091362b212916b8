// Named starting points for sandbox runs and tests. Each call builds a fresh world with fresh random keys.
import type { World } from '../world/world.ts';
import { buildBlogDeployed } from './blog-deployed.ts';
import { buildBlogStart } from './blog-start.ts';

export type WorldName = 'blog-start' | 'blog-deployed';

export const WORLD_NAMES: readonly WorldName[] = ['blog-start', 'blog-deployed'];

export interface CreatedWorld {
  world: World;
  /** Kubernetes objects to create, in order (namespaces first). */
  kubernetesObjects: Array<Record<string, unknown>>;
}

export function createWorld(name: WorldName): CreatedWorld {
  switch (name) {
    case 'blog-start':
      return { world: buildBlogStart(), kubernetesObjects: [] };
    case 'blog-deployed':
      return buildBlogDeployed();
  }
}

export { BLOG, ECHO_OPERATIONS, DUMMY_OPERATIONS } from './blog-start.ts';
export { TOKEN_LIFETIME_MS } from './blog-deployed.ts';
