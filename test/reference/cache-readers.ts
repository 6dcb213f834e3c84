/**
 * The cache's readers as they were before story 025 decoded an entry in one
 * walk (`decodeAnalysis` in src/lint/cache.ts): `isCacheEntry`, then these.
 * Kept only as the reference test/cache-decode.test.ts holds the decoder to.
 */
import type { CrossStory } from '../../src/lint/analyze.js';
import type { SpanTuple, StoredMessage, StoredStory } from '../../src/lint/cache.js';
import type { LintMessage } from '../../src/lint/types.js';
import type { Span } from '../../src/story/model.js';

const toSpan = (t: SpanTuple): Span => ({ start: { line: t[0], column: t[1], offset: t[2] }, end: { line: t[3], column: t[4], offset: t[5] } });

/**
 * ESLint's message objects again, with the keys in the order `toMessage` (src/lint/engine.ts) writes them.
 * Two object literals rather than a spread of `{ note }` (a spread is a generic copy in V8: a
 * third of the re-run's decoding time).
 */
export function readMessages(messages: readonly StoredMessage[], notes: readonly string[]): LintMessage[] {
  const out: LintMessage[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const t = messages[i]!;
    const m: LintMessage =
      t[3] >= 0
        ? { ruleId: t[0], severity: t[1], message: t[2], note: notes[t[3]]!, line: t[4], column: t[5], endLine: t[6], endColumn: t[7] }
        : { ruleId: t[0], severity: t[1], message: t[2], line: t[4], column: t[5], endLine: t[6], endColumn: t[7] };
    if (t.length === 11) m.fix = { range: [t[8]!, t[9]!], text: t[10]! };
    out[i] = m;
  }
  return out;
}

export function readStory(s: StoredStory): CrossStory {
  return {
    id: s.id,
    dependencies: s.dependencies.map((d) => ({ story: d.story, raw: d.raw, span: toSpan(d.span) })),
    comments: s.comments.map((c) => ({ kind: c.kind, ids: c.ids, span: toSpan(c.span), target: c.target && toSpan(c.target) })),
    tasks: s.tasks.map((t) => ({
      id: t.id,
      heading: { span: toSpan(t.heading) },
      status: t.status === null ? null : { value: t.status },
      depends: t.depends.map((r) => (r.story !== undefined ? { raw: r.raw, task: r.task, story: r.story, span: toSpan(r.span) } : { raw: r.raw, task: r.task, span: toSpan(r.span) })),
    })),
  };
}

