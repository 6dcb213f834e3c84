/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`)
 * and other SARIF viewers: one run, the driver listing every rule (id,
 * description, help URL, default level), one result per message with a
 * region. Artifact URIs are relative to the repository root (GITHUB_WORKSPACE
 * when set, else the working directory) under the `%SRCROOT%` base id, as
 * code scanning expects.
 */
import { pathToFileURL } from 'node:url';
import { RULE_DEFAULTS } from '../config/defaults.js';
import { ruleUrl } from '../rules/util.js';
import { annotationRoot, repoRelative } from './github.js';
import { fullText, type Formatter } from './types.js';

declare const PLAN_TASKS_VERSION: string;
const version = () => (typeof PLAN_TASKS_VERSION === 'string' ? PLAN_TASKS_VERSION : '0.0.0-dev');

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFO_URI = 'https://github.com/plan-tasks/plan-tasks';

/** A message that is not a rule finding (a file that could not be read as a story). */
const FATAL_ID = 'fatal';
/** A warning that is not a rule finding either: a lint comment naming a misspelt rule id (src/lint/engine.ts). */
const COMMENT_ID = 'lint-comment';

interface Descriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown?: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' | 'none'; enabled?: boolean };
  properties: { tags: string[]; fixable?: boolean };
}

/** Descriptors for messages that are no rule's: a file that could not be read, a misspelt lint-comment id. */
const NOT_A_RULE: Record<string, Descriptor> = {
  [FATAL_ID]: {
    id: FATAL_ID,
    name: 'Fatal',
    shortDescription: { text: 'A file could not be read as a Markdown story' },
    help: { text: 'The file is binary, empty or not UTF-8: fix or re-save it as UTF-8 Markdown.' },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['plan-tasks'] },
  },
  [COMMENT_ID]: {
    id: COMMENT_ID,
    name: 'LintComment',
    shortDescription: { text: 'A lint comment names a rule id plan-tasks does not have' },
    help: { text: 'Spell the rule id as the rules table does: the comment silences nothing as written.' },
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['plan-tasks'] },
  },
};

const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

export const sarif: Formatter = (results, ctx) => {
  const root = annotationRoot(ctx);
  const ids = [...new Set([...Object.keys(RULE_DEFAULTS), ...Object.keys(ctx.rulesMeta)])];
  const rules: Descriptor[] = ids.map((id) => {
    const meta = ctx.rulesMeta[id];
    const description = meta?.description ?? id;
    const url = meta?.url ?? ruleUrl(id);
    const severity: 'warn' | 'error' = RULE_DEFAULTS[id] ?? 'error';
    return {
      id,
      name: pascal(id),
      shortDescription: { text: description },
      helpUri: url,
      help: { text: `${description}. See ${url}`, markdown: `${description}. [Rule documentation](${url})` },
      defaultConfiguration: { level: severity === 'warn' ? 'warning' : 'error' },
      properties: { tags: ['plan-tasks', 'markdown'], ...(meta ? { fixable: meta.fixable } : {}) },
    };
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  /** The index of a descriptor for a message that is no rule's (added on first use). */
  const ensure = (id: string) => {
    if (!index.has(id)) {
      index.set(id, rules.length);
      rules.push({ ...NOT_A_RULE[id]! });
    }
    return index.get(id)!;
  };

  const artifacts: { location: { uri: string; uriBaseId: string } }[] = [];
  const out: unknown[] = [];
  for (const result of results) {
    if (result.messages.length === 0) continue;
    // A relative reference stays relative: `:` is encoded too, or a first segment
    // like `http:evil.md` (or `C:`) would read as a URI scheme (RFC 3986, 4.2).
    const uri = encodeURI(repoRelative(root, result.filePath)).replace(/[?#:]/g, encodeURIComponent);
    const artifactIndex = artifacts.push({ location: { uri, uriBaseId: '%SRCROOT%' } }) - 1;
    for (const m of result.messages) {
      const ruleId = m.ruleId ?? (m.fatal ? FATAL_ID : COMMENT_ID);
      const ruleIndex = m.ruleId === null ? ensure(ruleId) : index.get(ruleId);
      const region: Record<string, number> = { startLine: Math.max(1, m.line), startColumn: Math.max(1, m.column) };
      if (m.endLine >= m.line) region.endLine = Math.max(1, m.endLine);
      if (m.endColumn >= 1 && (m.endLine > m.line || m.endColumn > m.column)) region.endColumn = m.endColumn;
      out.push({
        ruleId,
        ...(ruleIndex !== undefined ? { ruleIndex } : {}),
        level: m.severity === 2 ? 'error' : 'warning',
        message: { text: fullText(m) },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%', index: artifactIndex }, region } }],
      });
    }
  }

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'plan-tasks',
            informationUri: INFO_URI,
            version: version(),
            semanticVersion: version(),
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root.endsWith('/') ? root : `${root}/`).href } },
        artifacts,
        results: out,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

export default sarif;
