// The images every sandbox cluster can run besides the ones a world registers: curlimages/curl and busybox, with
// their real entrypoints, so `kubectl run … -- curl URL`, `-- URL`, `-- sleep 3600` and `-- sh -c "…"` all behave
// as on a cluster.
import type { ContainerContext, ContainerProgram } from '../containers.ts';
import { defaultCurlVersion } from './curl.ts';
import { runProcess } from './process.ts';
import { Shell } from './shell.ts';

function imageName(image: string): { name: string; tag: string } {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  const slash = ref.lastIndexOf('/');
  const [name, tag] = colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
  return { name: name.replace(/^(docker\.io\/)?(library\/)?/, ''), tag };
}

/** argv the container runtime executes: command replaces ENTRYPOINT, args replace CMD. */
function argvFor(ctx: ContainerContext, entrypoint: string[], cmd: string[]): string[] {
  if (ctx.command.length > 0) return [...ctx.command, ...ctx.args];
  return [...entrypoint, ...(ctx.args.length > 0 ? ctx.args : cmd)];
}

export const curlProgram: ContainerProgram = {
  matches: (image) => imageName(image).name === 'curlimages/curl',
  start(ctx) {
    const tag = imageName(ctx.image).tag;
    const version = /^\d+\.\d+\.\d+$/.test(tag) ? tag : defaultCurlVersion;
    const argv = argvFor(ctx, ['/entrypoint.sh'], ['curl']);
    return runProcess(argv, ctx, async (a, c, io) => {
      const shell = new Shell(c, io, { curl: version });
      let words = a;
      if (words[0] === '/entrypoint.sh') {
        // entrypoint.sh: `curl` is prepended when the first word is an option or not a command.
        words = words.slice(1);
        const first = words[0];
        const isCommand = first !== undefined && ['curl', 'sh', '/bin/sh', 'sleep', 'echo', 'env', 'wget', 'true', 'false'].includes(first);
        if (first === undefined || first.startsWith('-') || !isCommand) words = ['curl', ...words];
      }
      return shell.command([...words]);
    });
  },
};

export const busyboxProgram: ContainerProgram = {
  matches: (image) => imageName(image).name === 'busybox',
  start(ctx) {
    const argv = argvFor(ctx, [], ['sh']);
    return runProcess(argv, ctx, (a, c, io) => new Shell(c, io, {}).command([...a]));
  },
};

export const builtinPrograms: readonly ContainerProgram[] = [curlProgram, busyboxProgram];
