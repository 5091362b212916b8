// Tree tooltips and hovers are Markdown; every string from a cluster, ARM or a log in them must show literally.
// Rendered with marked, the Markdown parser VS Code itself uses for MarkdownString.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { marked } from 'marked';
import { codeSpan, escapeMarkdown } from '../../../src/editor/explanations.ts';
import { arcClusterTooltip, deploymentTooltip, extensionTooltip } from '../../../src/tree/tooltips.ts';
import { markdownCode, markdownText } from '../../../src/util/markdown.ts';

const render = (md: string): string => marked.parse(md, { async: false, gfm: true });
const decode = (html: string): string =>
  html.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e] ?? '');

const HOSTILE = [
  'gw`](command:workbench.action.terminal.new)`',
  'x` [run](command:workbench.action.terminal.new) `y',
  '[click](https://evil.example/x)',
  '![x](https://evil.example/pixel.png)',
  '<img src=x onerror=alert(1)>',
  '**bold** _em_ $(alert) https://evil.example',
  '``double`` `single`',
  '`',
];

/** No element created from the hostile text: no link, image, HTML, emphasis beyond what the template itself adds. */
function assertInert(html: string, allowedStrong: number): void {
  assert.doesNotMatch(html, /<a |<img|<script|<em>|<del>/, html);
  assert.equal((html.match(/<strong>/g) ?? []).length, allowedStrong, html);
}

describe('Markdown from hostile strings', () => {
  it('a backtick in an image name does not break out of its code span', () => {
    for (const image of HOSTILE) {
      const html = render(deploymentTooltip({ name: 'gw', namespace: 'apim', image, ready: 1, available: 1, updated: 1, desired: 1, matchedBy: 'labels', release: image }, 'ctx'));
      assertInert(html, 1);
      const spans = [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decode(m[1] ?? '').trim());
      assert.ok(spans.includes(image.trim()), `${image} → ${spans.join(' | ')}`);
    }
  });

  it('names, releases and versions from ARM and the cluster show literally in every tree tooltip', () => {
    for (const bad of HOSTILE) {
      const texts = [
        deploymentTooltip({ name: bad, namespace: bad, image: bad, ready: 1, available: 1, updated: 1, desired: 1, matchedBy: 'image', release: bad }, bad),
        arcClusterTooltip({ name: bad, resourceGroup: bad, location: bad, connectivityStatus: bad, kubernetesVersion: bad, distribution: bad, infrastructure: bad, agentVersion: bad }),
        extensionTooltip({ name: bad, extensionType: bad, clusterName: bad, state: bad, version: bad, releaseTrain: bad, namespace: bad, serviceType: bad, settings: bad }),
      ];
      for (const md of texts) {
        const html = render(md);
        assertInert(html, 1);
        assert.ok(decode(html.replace(/<[^>]+>/g, '')).includes(bad.trim()) || bad === '`', `${bad} not shown literally: ${html}`);
      }
    }
  });

  it('property: any text is shown literally by markdownText and markdownCode, and the editor hovers use them', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', '*', '_', '[', ']', '(', ')', '<', '>', '!', '$', ':', '/', '&', '#', '\\', '~', '|', 'a', ' ', 'h', 't', 'p', '.', 'w') , maxLength: 30 }), (s) => {
        fc.pre(s.trim() !== '' && !/^\s|\s$/.test(s));
        for (const md of [`x ${markdownText(s)} y`, `x ${markdownCode(s)} y`, `x ${escapeMarkdown(s)} y`, `x ${codeSpan(s)} y`]) {
          const html = render(md);
          assert.doesNotMatch(html, /<a |<img|<em>|<strong>|<del>|<h\d|<li|<blockquote|<table/, `${JSON.stringify(s)} → ${html}`);
          const shown = decode(html.replace(/<[^>]+>/g, '')).trim();
          assert.equal(shown, `x ${s} y`, `${JSON.stringify(s)} via ${md} → ${html}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
