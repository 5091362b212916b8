// `npm test`'s closing line adds up what each phase printed (scripts/test.ts): node:test's summaries, one or more per
// phase (test:e2e runs node:test twice), or the integration runner's own line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countsOf } from '../../../scripts/test.ts';

describe('npm test: counting what each phase ran', () => {
  it('adds up every node:test summary of a phase', () => {
    const output = ['✔ a (1ms)', 'ℹ tests 36', 'ℹ pass 35', 'ℹ fail 1', '✔ b (2ms)', 'ℹ tests 2', 'ℹ pass 2', 'ℹ fail 0'].join('\n');
    assert.deepEqual(countsOf(output), { passed: 37, failed: 1 });
  });

  it('reads the integration runner\'s line, not the mocha reports of its groups', () => {
    const output = ['  41 passing (2m)', '  13 passing (25s)', 'integration: 54 passed, 2 failed'].join('\n');
    assert.deepEqual(countsOf(output), { passed: 54, failed: 2 });
  });

  it('counts nothing for a phase that runs no tests, and ignores a test title that looks like a summary', () => {
    assert.deepEqual(countsOf('> tsc --noEmit\n'), { passed: 0, failed: 0 });
    assert.deepEqual(countsOf('  ✔ ℹ pass 5 in a title (1ms)\nℹ pass 1\nℹ fail 0'), { passed: 1, failed: 0 });
  });
});
