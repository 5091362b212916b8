import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LogDocumentModel, cleanLine, renderNotice, type DocumentUpdate, type Incoming } from '../../../src/editor/documentModel.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';
import { fixture, tagged, untagged } from './helpers.ts';

/** A text document that applies updates the way VS Code applies the WorkspaceEdit built from them. */
class SimulatedDocument {
  text = '';

  apply(update: DocumentUpdate): { kept: string; before: string } {
    const before = this.text;
    const lines = before.split('\n');
    // The editor's line count is one more than the model's: the text ends with a line break.
    assert.equal(lines.length - 1, update.insertAtLine, 'the append goes at the last (empty) line');
    const kept = lines.slice(update.deleteLines).join('\n');
    this.text = kept + update.text;
    return { kept, before };
  }
}

function entries(list: readonly TaggedEntry[]): Incoming[] {
  return list.map((entry) => ({ entry }));
}

describe('editor document model: how entries become lines', () => {
  it('writes every physical line of a file session once, in order, ending with a line break', () => {
    const text = fixture('seed-blog-v1.log');
    const model = new LogDocumentModel({ maxEntries: 50_000 });
    model.commit(model.plan(entries(untagged(text))));
    assert.equal(model.text(), text);
    assert.equal(model.lineCount, text.split('\n').length - 1);
    assert.equal(model.length, text.length);
  });

  it('prefixes every line of an entry, continuation lines included, with its kubelet time (kubectl --timestamps)', () => {
    const list = tagged(fixture('seed-blog-v1.log'), 'gw-1');
    const model = new LogDocumentModel({ maxEntries: 50_000, kubeletTime: 'always' });
    model.commit(model.plan(entries(list)));
    const lines = model.text().split('\n');
    const record = list.find((e) => e.request?.lastError?.reason === 'OperationNotFound');
    assert.ok(record?.kubeletTime && record.raw.length === 7);
    const start = lines.findIndex((l) => l.includes(record.request?.correlationId ?? '?'));
    for (let i = 0; i < record.raw.length; i++) assert.equal(lines[start + i], `${record.kubeletTime.raw} ${record.raw[i]}`);
    assert.ok(!model.prefixesPods, 'one pod: no pod prefix');
    assert.ok(lines.every((l) => !l.startsWith('[pod/')));
  });

  it('by default shows the kubelet time only where the gateway wrote no timestamp of its own (readable at 1280 px)', () => {
    const list = tagged(fixture('seed-blog-v1.log'), 'gw-1');
    const model = new LogDocumentModel({ maxEntries: 50_000 });
    model.commit(model.plan(entries(list)));
    const lines = model.text().split('\n');
    const record = list.find((e) => e.request?.lastError?.reason === 'OperationNotFound');
    assert.ok(record?.timestamp && record.kubeletTime);
    const start = lines.findIndex((l) => l.includes(record.request?.correlationId ?? '?'));
    for (let i = 0; i < record.raw.length; i++) assert.equal(lines[start + i], record.raw[i], 'the gateway\'s own timestamp is enough');
    const bare = list.find((e) => e.timestamp === undefined && e.kubeletTime);
    assert.ok(bare?.kubeletTime);
    assert.ok(lines.includes(`${bare.kubeletTime.raw} ${bare.raw[0] ?? ''}`), 'a line without a time of its own keeps the kubelet\'s');
  });

  it('shortens pod prefixes to the part that tells the replicas apart', () => {
    const a = tagged('[Info] 2024-11-07T14:02:11.201 [ComponentStarted], message: A\n', 'rb-arc-aks-apimgw-6cb68c4ccf-88bxg');
    const b = tagged('[Info] 2024-11-07T14:02:11.202 [ComponentStarted], message: B\n', 'rb-arc-aks-apimgw-6cb68c4ccf-x7k2p');
    const model = new LogDocumentModel({ maxEntries: 100 });
    model.notePods(['rb-arc-aks-apimgw-6cb68c4ccf-88bxg', 'rb-arc-aks-apimgw-6cb68c4ccf-x7k2p']);
    model.commit(model.plan(entries([...a, ...b])));
    assert.deepEqual(model.text().split('\n').slice(0, 2), ['[pod/88bxg] [Info] 2024-11-07T14:02:11.201 [ComponentStarted], message: A', '[pod/x7k2p] [Info] 2024-11-07T14:02:11.202 [ComponentStarted], message: B']);
  });

  it('adds the pod prefix from the first entry of a second pod on, without touching earlier lines', () => {
    const a = tagged('[Info] 2024-11-07T14:02:11.201 [ComponentStarted], message: A\n', 'gw-a');
    const b = tagged('[Info] 2024-11-07T14:02:11.202 [ComponentStarted], message: B\n[Info] 2024-11-07T14:02:11.203 [ComponentStarted], message: B2\n', 'gw-b');
    const a2 = tagged('[Info] 2024-11-07T14:02:11.204 [ComponentStarted], message: A2\n', 'gw-a');
    const model = new LogDocumentModel({ maxEntries: 100, kubeletTime: 'always' });
    const doc = new SimulatedDocument();
    for (const batch of [a, b, a2]) {
      const update = model.plan(entries(batch));
      doc.apply(update);
      model.commit(update);
    }
    const lines = doc.text.split('\n');
    assert.ok(!lines[0]?.startsWith('[pod/'));
    // Shortened to what tells the pods apart (`gw-a`, `gw-b` → `a`, `b`).
    assert.ok(lines[1]?.startsWith('[pod/b] 2026-'));
    assert.ok(lines[2]?.startsWith('[pod/b] '));
    assert.ok(lines[3]?.startsWith('[pod/a] '));
    assert.equal(doc.text, model.text());
  });

  it('prefixes pods from the start when the session already knows several', () => {
    const model = new LogDocumentModel({ maxEntries: 100, kubeletTime: 'always' });
    model.notePods(['gw-a', 'gw-b']);
    model.commit(model.plan(entries(tagged('[Info] 2024-11-07T14:02:11.201 [ComponentStarted], message: A\n', 'gw-a'))));
    assert.match(model.text(), /^\[pod\/a\] 2026-\S+Z \[Info\]/);
  });

  it('removes colour codes, masks secrets and keeps one log line on one document line', () => {
    assert.equal(cleanLine('\u001b[32m[Info]\u001b[0m x'), '[Info] x');
    const masked = cleanLine('url: https://gw.example/echo?subscription-key=0123456789abcdef0123, method: GET');
    assert.ok(!masked.includes('0123456789abcdef0123'), masked);
    assert.ok(masked.includes('subscription-key=***'));
    const line = cleanLine('a\rb\u2028c\u2029d');
    assert.equal(line.split(/\r\n|\r|\n|\u2028|\u2029/).length, 1);
    assert.equal(line, 'a\u240db\u2424c\u2424d');
  });

  it('skips entries it already has (a batch that repeats the end of the snapshot)', () => {
    const list = tagged(fixture('seed-blog-v1.log'));
    const model = new LogDocumentModel({ maxEntries: 50_000 });
    assert.ok(list.length >= 80);
    model.commit(model.plan(entries(list.slice(0, 70))));
    const update = model.plan(entries(list.slice(60, 80)));
    assert.equal(update.appendedEntries, 10);
    model.commit(update);
    assert.equal(model.entryCount, 80);
  });

  it('writes session notices as one comment line', () => {
    const line = renderNotice({ time: Date.UTC(2026, 10, 27, 16, 0, 0), pod: 'gw-1', text: 'restarted (restart 2)\nagain' });
    assert.equal(line, '# 2026-11-27T16:00:00.000Z pod gw-1: restarted (restart 2) again');
  });
});

describe('editor document model: appends and the bound', () => {
  it('only appends at the end and drops whole entries from the top; the text always matches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.record({ take: fc.integer({ min: 0, max: 30 }), notice: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        (maxEntries, batches) => {
          const source = tagged(fixture('v2-text.log'), 'gw');
          const model = new LogDocumentModel({ maxEntries, now: () => 0 });
          const doc = new SimulatedDocument();
          let at = 0;
          for (const batch of batches) {
            const incoming: Incoming[] = [];
            for (let i = 0; i < batch.take; i++) incoming.push({ entry: source[at++ % source.length] as TaggedEntry });
            if (batch.notice) incoming.push({ notice: { time: 0, text: 'stream resumed' } });
            // Entries recycled from the fixture get new sequence numbers, as a session would give them.
            const update = model.plan(renumber(incoming));
            const { kept } = doc.apply(update);
            model.commit(update);
            // Nothing already shown is rewritten: what stayed is a prefix of the new text.
            assert.ok(doc.text.startsWith(kept));
            assert.equal(doc.text, model.text());
            assert.ok(model.entryCount <= maxEntries);
            // Every line maps back to the entry (or notice) that wrote it.
            const lines = doc.text.split('\n');
            for (const span of model.spans()) {
              if (span.kind === 'notice') assert.ok(lines[span.start]?.startsWith('# '));
              else assert.ok(lines[span.start]?.endsWith(cleanLine(span.entry?.raw[0] ?? '')), `line ${span.start}`);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('drops down to 90% of the bound in one edit, not one entry per batch, and says so once', () => {
    const source = tagged(fixture('seed-blog-v1.log'));
    const model = new LogDocumentModel({ maxEntries: 100, now: () => Date.UTC(2026, 0, 1) });
    const doc = new SimulatedDocument();
    let dropUpdates = 0;
    let notices = 0;
    for (let i = 0; i < 1000; i++) {
      const entry = { ...(source[i % source.length] as TaggedEntry), seq: 100_000 + i };
      const update = model.plan([{ entry }]);
      if (update.deleteLines > 0) dropUpdates++;
      if (update.text.includes('arcApimGateway.logs.maxEntries')) notices++;
      doc.apply(update);
      model.commit(update);
      assert.equal(doc.text, model.text());
    }
    // Without the low-water mark every one of the last 900 appends would also delete a line at the top.
    assert.ok(dropUpdates <= Math.ceil(900 / 10), `${dropUpdates} top deletions`);
    assert.ok(dropUpdates >= 80, `${dropUpdates} top deletions`);
    assert.equal(notices, 1);
    assert.ok(model.entryCount <= 100 && model.entryCount >= 90);
    assert.equal(model.droppedEntries + model.entryCount, 1000);
  });

  it('never writes what a single oversized batch would drop at once', () => {
    const source = untagged(fixture('seed-blog-v1.log'));
    const model = new LogDocumentModel({ maxEntries: 10 });
    const update = model.plan(entries(source));
    assert.equal(update.deleteLines, 0);
    assert.equal(update.appendedEntries, 9);
    assert.equal(update.droppedEntries, source.length - 9);
    model.commit(update);
    const written = source.slice(-9).flatMap((e) => e.raw);
    const lines = model.text().split('\n');
    assert.deepEqual(lines.slice(0, written.length), written);
    assert.match(lines[written.length] ?? '', /^# .* keeps at most 10 entries/);
  });

  it('finds the entry under a line after drops from the top', () => {
    const source = untagged(fixture('v2-text.log'));
    const model = new LogDocumentModel({ maxEntries: 5 });
    for (const entry of source) model.commit(model.plan([{ entry }]));
    const lines = model.text().split('\n');
    for (let line = 0; line < model.lineCount; line++) {
      const span = model.spanAt(line);
      assert.ok(span, `line ${line}`);
      assert.ok(line >= span.start && line < span.start + span.lineCount);
      if (span.entry) assert.equal(lines[line], cleanLine(span.entry.raw[line - span.start] ?? ''));
    }
    assert.equal(model.spanAt(model.lineCount), undefined);
  });
});

/** Sequence numbers increasing in arrival order, as a session assigns them. */
let nextSeq = 1_000_000;
function renumber(items: Incoming[]): Incoming[] {
  return items.map((item) => ('entry' in item ? { entry: { ...item.entry, seq: nextSeq++ } } : item));
}
