// The one way text from a cluster, ARM or a log goes into Markdown (tree tooltips, editor hovers): secrets masked,
// then escaped so that it shows literally — no links, images, emphasis, HTML, theme icons (`$(…)`), and no way out of
// a code span. Pure (no Node, no `vscode`).
import { redact } from './redact.ts';

/** Text shown literally in Markdown: every character Markdown (or VS Code's `$(icon)` syntax) could read is escaped. */
export function markdownText(text: string): string {
  return redact(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>~$:&"']/g, '\\$&');
}

/**
 * Text as inline code, whatever backticks it holds: CommonMark ends a code span only at a run of backticks as long as
 * the one that opened it, so the fence is one longer than the longest run inside, padded with a space when the text
 * starts or ends with a backtick. Nothing inside a code span is Markdown, so nothing else needs escaping.
 */
export function markdownCode(text: string): string {
  const clean = redact(text).replace(/[\r\n]+/g, ' ');
  if (clean === '') return '` `';
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || (clean.startsWith(' ') && clean.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
