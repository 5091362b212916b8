// Throughput of the gateway log parsers on a large generated log (`gatewayLogMix.ts`), against simply splitting the
// same text into lines, all in one process.
//
//   node_modules/.bin/node bench/parse.ts [--lines 300000] [--rounds 5] [--baseline <commit>]
//
// With `--baseline`, the lazy reader of that commit (where it has one) is timed too, and compared with today's.
//
// Goals: the lazy parse (`parseGatewayLogLazy`, what views use) >= 1.5M lines/s and <= 3.0x the split (#18); the eager
// parse (`parseGatewayLog`) no slower than the parser of `--baseline` (#15: `--baseline 9116a74`, before the pasted-log
// work), whose src/gatewayLogs is taken from git into a temporary folder and timed in the same rounds on the same text.
//
// Each round works on a fresh copy of the text as a file read gives it (V8 may cache a repeated split of one string)
// and times the split, the lazy, the eager and the baseline parse, in an order that changes from round to round so
// that each runs after each other one as often (a call may pay for the garbage the one before left; a forced full
// collection before each call was tried and penalised the next call more, as the young generation must grow again).
// The figures are medians over the rounds with the spread (min–max) as the noise, in wall-clock time and in CPU time
// of the process; the first round (cold: compiling, growing the heap) is shown too. GC share: the garbage
// collector's pauses (`gc` performance entries) during a call, over its wall-clock time.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateGatewayLog } from './gatewayLogMix.ts';
import { parseGatewayLogLazy } from '../src/gatewayLogs/lazy.ts';
import { parseGatewayLog } from '../src/gatewayLogs/parser.ts';

const { values: args } = parseArgs({
    options: {
        lines: { type: 'string', default: '300000' },
        rounds: { type: 'string', default: '5' },
        baseline: { type: 'string' },
        // Internal: one eager parser alone in this process ('now' or 'baseline'), for the isolated comparison below
        // (`--pairs 0` leaves that out).
        child: { type: 'string' },
        pairs: { type: 'string', default: '6' },
    },
});
const targetLines = Number(args.lines);
const rounds = Number(args.rounds);
if (!(targetLines > 0) || !(rounds > 0)) {
    throw new Error('--lines and --rounds must be positive numbers');
}

/** Garbage-collector pauses, summed from `gc` performance entries (delivered asynchronously: read after a tick). */
let gcMs = 0;
new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
        gcMs += e.duration;
    }
}).observe({ entryTypes: ['gc'] });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

type Parse = (text: string) => ArrayLike<{ kind: string }>;

/** The parser of `commit`: its src/gatewayLogs extracted from git into a temporary folder and imported from there. */
async function loadBaseline(commit: string): Promise<{ parse: Parse; lazy: Parse | undefined; dispose: () => void }> {
    const dir = mkdtempSync(join(tmpdir(), 'parse-baseline-'));
    const archive = execFileSync('git', ['archive', '--format=tar', commit, 'src/gatewayLogs'], {
        maxBuffer: 64 << 20,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const module = (await import(join(dir, 'src/gatewayLogs/parser.ts'))) as { parseGatewayLog: Parse };
    // The lazy reader too, where that commit has one (9116a74 has not).
    const lazy = existsSync(join(dir, 'src/gatewayLogs/lazy.ts'))
        ? ((await import(join(dir, 'src/gatewayLogs/lazy.ts'))) as { parseGatewayLogLazy: Parse }).parseGatewayLogLazy
        : undefined;
    return { parse: module.parseGatewayLog, lazy, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

if (args.child !== undefined) {
    // Isolated: only one eager parser is ever loaded and run in this process, so neither pays for the other's
    // garbage, heap growth or compiled code. Five rounds; the first (compiling, growing the heap) is left out.
    const parse = args.child === 'baseline' && args.baseline !== undefined ? await loadBaseline(args.baseline) : { parse: parseGatewayLog, dispose: () => {} };
    const { text: log } = generateGatewayLog(targetLines);
    const cpu: number[] = [];
    for (let round = 0; round < 5; round++) {
        const input = Buffer.from(log, 'utf8').toString('utf8');
        const before = process.cpuUsage();
        parse.parse(input);
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
        await tick();
    }
    parse.dispose();
    console.log(JSON.stringify({ cpu }));
    process.exit(0);
}

const baseline = args.baseline !== undefined ? await loadBaseline(args.baseline) : undefined;
const { text, lineCount } = generateGatewayLog(targetLines);
const megabytes = text.length / 1e6;

interface Run {
    ms: number;
    /** CPU time of the process (every thread: the garbage collector's helpers too); on a shared machine it varies
     * far less than the wall-clock time, which includes the time other processes had the cores. */
    cpu: number;
    gc: number;
    entries: number;
    requests: number;
}
/** Times one call in a function of its own, so that its result is garbage before the next one starts. */
async function time(run: (text: string) => ArrayLike<{ kind: string }>, input: string): Promise<Run> {
    await tick();
    const gcBefore = gcMs;
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const result = run(input);
    const ms = performance.now() - start;
    const cpuUsed = process.cpuUsage(cpuBefore);
    let requests = 0;
    for (let i = 0; i < result.length; i++) {
        requests += result[i]?.kind === 'request' ? 1 : 0;
    }
    await tick();
    return { ms, cpu: (cpuUsed.user + cpuUsed.system) / 1000, gc: gcMs - gcBefore, entries: result.length, requests };
}

const contenders: Array<[string, Parse]> = [
    // The lines are kept until timed, as a parse's entries are: the garbage collector moves them out of the young
    // generation as it would any result that outlives it.
    ['split into lines', (t) => t.split('\n') as unknown as ArrayLike<{ kind: string }>],
    ['parseGatewayLogLazy', parseGatewayLogLazy],
    ['parseGatewayLog (eager)', parseGatewayLog],
];
if (baseline) {
    contenders.push([`eager at ${args.baseline}`, baseline.parse]);
}
const LAZY_BASELINE = baseline?.lazy ? contenders.length : -1;
if (baseline?.lazy) {
    contenders.push([`lazy at ${args.baseline}`, baseline.lazy]);
}
/**
 * What any reader that finds the lines and gives one object per entry costs at least: each line found with
 * `indexOf`, and one small object for each line that starts an entry in this log (not a space or a `}`). Not a parser:
 * the floor under the lazy one, measured beside the split.
 */
function floor(t: string): ArrayLike<{ kind: string }> {
    const out: Array<{ log: string; at: number; kind: string }> = [];
    for (let pos = 0; pos < t.length; ) {
        let nl = t.indexOf('\n', pos);
        if (nl < 0) {
            nl = t.length;
        }
        const c = t.charCodeAt(pos);
        if (c !== 32 && c !== 125) {
            out.push({ log: t, at: pos, kind: '' });
        }
        pos = nl + 1;
    }
    return out;
}
const FLOOR = contenders.length;
contenders.push(['floor (lines + 1 object/entry)', floor]);
const results = contenders.map((): Run[] => []);
for (let round = 0; round < rounds; round++) {
    // A fresh copy, as reading the log file gives it (one flat string, not a slice or a concatenation of others),
    // which V8 has not split before.
    const input = Buffer.from(text, 'utf8').toString('utf8');
    for (let k = 0; k < contenders.length; k++) {
        // Rotated each round and reversed every other one, so that each runs before and after each other one.
        const slot = (k + (round >> 1)) % contenders.length;
        const which = round % 2 === 0 ? slot : contenders.length - 1 - slot;
        const [, parse] = contenders[which] as [string, Parse];
        (results[which] as Run[]).push(await time(parse, input));
    }
}
baseline?.dispose();

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
type Measure = 'ms' | 'cpu';
const times = (i: number, m: Measure) => (results[i] as Run[]).map((r) => r[m]);
/** Per round, contender `a`'s time over contender `b`'s (both from that round, so the machine's load mostly cancels). */
const ratios = (a: number, b: number, m: Measure) => times(a, m).map((t, r) => t / (times(b, m)[r] as number));
const spread = (xs: number[], digits: number) =>
    `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
const rate = (ms: number) => `${(lineCount / ms / 1000).toFixed(2)}M lines/s`;

const count = (n: number) => n.toLocaleString('en');
const eager = (results[2] as Run[])[0] as Run;
for (const r of results.slice(1, FLOOR)) {
    for (const x of r) {
        if (x.entries !== eager.entries || x.requests !== eager.requests) {
            throw new Error(`entry counts differ: ${x.entries}/${x.requests} vs ${eager.entries}/${eager.requests}`);
        }
    }
}
console.log(
    `log: ${count(lineCount)} lines, ${megabytes.toFixed(1)} MB, ${count(eager.entries)} entries ` +
        `(${count(eager.requests)} requests); ${rounds} rounds, median (min–max), first round in brackets`,
);
for (let i = 0; i < contenders.length; i++) {
    const [name] = contenders[i] as [string, Parse];
    const runs = results[i] as Run[];
    const gcShare = median(runs.map((r) => (100 * r.gc) / r.ms));
    const parts = (['ms', 'cpu'] as const).map((m) => {
        const t = median(times(i, m));
        const vsSplit = i === 0 ? '' : `, ${median(ratios(i, 0, m)).toFixed(2)}x the split (${spread(ratios(i, 0, m), 2)})`;
        return `${m === 'ms' ? 'wall' : 'cpu'} ${t.toFixed(1)} ms (${spread(times(i, m), 0)}) = ${rate(t)}${vsSplit}`;
    });
    const objects = i === FLOOR ? `; ${count((runs[0] as Run).entries)} objects` : '';
    console.log(
        `${name}: ${parts.join('; ')}; first round ${(runs[0] as Run).ms.toFixed(0)} ms; GC ${gcShare.toFixed(0)}%${objects}`,
    );
}
for (const m of ['ms', 'cpu'] as const) {
    const lazyMs = median(times(1, m));
    const lazySplit = median(ratios(1, 0, m));
    const met = lineCount / lazyMs >= 1500 && lazySplit <= 3;
    const which = m === 'ms' ? 'wall' : 'cpu';
    console.log(
        `goal (lazy, ${which}): >= 1.5M lines/s and <= 3.0x the split: ${met ? 'met' : 'NOT met'} (${rate(lazyMs)}, ` +
            `${lazySplit.toFixed(2)}x); lazy is ${median(ratios(2, 1, m)).toFixed(1)}x faster than eager`,
    );
    if (LAZY_BASELINE >= 0) {
        const r = ratios(1, LAZY_BASELINE, m);
        console.log(`lazy (${which}): now/${args.baseline} ${median(r).toFixed(3)} (rounds ${r.map((x) => x.toFixed(2)).join(' ')})`);
    }
    if (baseline) {
        const r = ratios(2, 3, m);
        console.log(
            `goal (eager, ${which}): no slower than ${args.baseline}: now/baseline ${median(r).toFixed(3)} (rounds ` +
                `${r.map((x) => x.toFixed(2)).join(' ')}): ${median(r) <= 1 ? 'met' : 'NOT met'}`,
        );
    }
}

if (args.baseline !== undefined && Number(args.pairs) > 0) {
    // The same comparison with each parser alone in a fresh process, now and baseline alternating (and which goes
    // first alternating too), so the machine's load over the run falls on both alike. CPU time of the warm rounds.
    const pairs = Number(args.pairs);
    const isolated = (which: 'now' | 'baseline'): number => {
        const out = spawnSync(process.execPath, [process.argv[1] as string, '--child', which, '--lines', String(targetLines), '--baseline', args.baseline as string], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (out.status !== 0) throw new Error(`isolated ${which} run failed: ${out.stderr}`);
        const { cpu } = JSON.parse(out.stdout.trim().split('\n').at(-1) as string) as { cpu: number[] };
        // The least CPU time of the warm rounds: what the parse costs when nothing else took the cores or the caches.
        return Math.min(...cpu.slice(1));
    };
    const now: number[] = [];
    const base: number[] = [];
    for (let pair = 0; pair < pairs; pair++) {
        if (pair % 2 === 0) {
            now.push(isolated('now'));
            base.push(isolated('baseline'));
        } else {
            base.push(isolated('baseline'));
            now.push(isolated('now'));
        }
    }
    const r = now.map((t, i) => t / (base[i] as number));
    console.log(
        `isolated (a fresh process each, ${pairs} pairs, least cpu of 4 warm rounds): eager now ${median(now).toFixed(0)} ms (${spread(now, 0)}), ` +
            `at ${args.baseline} ${median(base).toFixed(0)} ms (${spread(base, 0)}); now/baseline ${median(r).toFixed(3)} ` +
            `(pairs ${r.map((x) => x.toFixed(2)).join(' ')}): ${median(r) <= 1 ? 'met' : 'NOT met'}`,
    );
}
