// `npm test`: every phase of the project's test command, each timed. Build first (the checks, the integration tests
// and the e2e workbench all read its output); then the type check and the linter side by side (single-threaded,
// CPU-bound, and with no timing in them: on two cores the pair takes about as long as the linter alone); then the
// unit, sandbox, integration and e2e tests, one phase at a time (the unit tests hold time budgets and the others
// watch sandboxes move: a busy neighbour phase makes them fail, as measured). Output of the side-by-side phases is
// held and printed whole as each ends, so it never interleaves. Ends with one line per phase (`phase: N s`) and the
// total of tests passed and failed; exits non-zero when any phase failed (the later phases still run, so one run
// shows every failure). `--only a,b` runs just those phases (by name).
import { spawn } from 'node:child_process';
import { repoRoot } from './lib/code-server.ts';

interface Phase {
  readonly name: string;
  /** The npm script that runs it (package.json stays the one place that says how). */
  readonly script: string;
}

interface PhaseResult {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly passed: number;
  readonly failed: number;
}

/** Steps in order; the phases of one step run at the same time. */
const STEPS: readonly (readonly Phase[])[] = [
  [{ name: 'build', script: 'build' }],
  [
    { name: 'check', script: 'check' },
    { name: 'lint', script: 'lint' },
  ],
  [{ name: 'unit', script: 'test:unit' }],
  [{ name: 'sandbox', script: 'test:sandbox' }],
  [{ name: 'integration', script: 'test:integration' }],
  [{ name: 'e2e', script: 'test:e2e' }],
];

/**
 * The counts a phase printed: the sum of node:test's summaries (`ℹ pass N` / `ℹ fail N`; test:e2e runs node:test
 * twice), or the integration runner's `integration: N passed, N failed`. Zero for build, check and lint.
 */
export function countsOf(output: string): { passed: number; failed: number } {
  const sum = (re: RegExp): number => [...output.matchAll(re)].reduce((n, m) => n + Number(m[1] ?? 0), 0);
  const runner = [...output.matchAll(/^integration: (\d+) passed, (\d+) failed$/gm)].at(-1);
  if (runner) return { passed: Number(runner[1]), failed: Number(runner[2]) };
  return { passed: sum(/^ℹ pass (\d+)$/gm), failed: sum(/^ℹ fail (\d+)$/gm) };
}

function runPhase(phase: Phase, live: boolean): Promise<PhaseResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', phase.script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    const take = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      chunks.push(text);
      if (live) stream.write(text);
    };
    child.stdout.on('data', take(process.stdout));
    child.stderr.on('data', take(process.stderr));
    const done = (ok: boolean) => {
      const output = chunks.join('');
      if (!live) process.stdout.write(`\n== ${phase.name} (npm run ${phase.script})\n${output}`);
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`== ${phase.name}: ${ok ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s\n`);
      resolve({ name: phase.name, ok, seconds, ...countsOf(output) });
    };
    child.on('error', (error) => {
      chunks.push(String(error));
      done(false);
    });
    child.on('close', (code) => done(code === 0));
  });
}

if (import.meta.main) {
  const started = performance.now();
  const results: PhaseResult[] = [];
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex > 0 ? new Set((process.argv[onlyIndex + 1] ?? '').split(',')) : undefined;
  const known = STEPS.flat().map((p) => p.name);
  const unknown = [...(only ?? [])].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`--only names phases: ${known.join(', ')} (not ${unknown.join(', ')})\n`);
    process.exit(2);
  }
  for (const all of STEPS) {
    const step = all.filter((p) => !only || only.has(p.name));
    if (step.length === 0) continue;
    if (step.length === 1) process.stdout.write(`\n== ${step[0]?.name} (npm run ${step[0]?.script})\n`);
    else process.stdout.write(`\n== ${step.map((p) => p.name).join(' + ')}, side by side\n`);
    results.push(...(await Promise.all(step.map((phase) => runPhase(phase, step.length === 1)))));
    // A failed build leaves nothing for the other phases to test.
    if (step[0]?.name === 'build' && !results.at(-1)?.ok) break;
  }
  const total = (performance.now() - started) / 1000;
  process.stdout.write('\n');
  for (const r of results) process.stdout.write(`${r.name}: ${r.seconds.toFixed(0)} s${r.ok ? '' : ' (FAILED)'}${r.passed + r.failed > 0 ? ` — ${r.passed} passed, ${r.failed} failed` : ''}\n`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const failedPhases = results.filter((r) => !r.ok).map((r) => r.name);
  process.stdout.write(`total: ${total.toFixed(0)} s\n${passed} passed, ${failed} failed${failedPhases.length > 0 ? ` (failed phases: ${failedPhases.join(', ')})` : ''}\n`);
  process.exit(failedPhases.length > 0 ? 1 : 0);
}
