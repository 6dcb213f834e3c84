/**
 * One source for the messages of refs that resolve to nothing: `lint` and
 * `graph` / `next` report a dangling `NNN/TTT` ref, a ref into an unknown story
 * and an unknown `## Dependencies` story with the same rule ids and messages
 * (src/lint/project.ts), the known ids written as runs (`001, 003-005`).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CLI_FIXTURES, parseJson, run, tempCopy } from './cli-helpers.js';
import { idRuns } from '../src/rules/util.js';

const WANT = [
  '17:9 story-dependency Unexpected dependency on unknown story `098`, expected a story file 098-*.md in the configured stories',
  "24:26 dependency-unknown Unexpected dependency on unknown task `001/009` in task 001, expected one of story 001's task ids (001, 003-005)",
  '24:35 dependency-unknown Unexpected dependency on unknown story 099 in `099/001`, expected a story file 099-*.md in the configured stories',
];

describe('dangling refs', () => {
  it('lint, graph and next give the same rule ids and messages for one dangling ref', async () => {
    const t = tempCopy(join(CLI_FIXTURES, 'dangling'));
    try {
      const lint = await run(['lint', '--format', 'json'], t.dir);
      expect(lint.code).toBe(1);
      const client = parseJson(lint.stdout).find((r) => r.filePath.endsWith('002-client.md'))!;
      expect(client.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`)).toEqual(WANT);
      for (const argv of [['graph', 'all'], ['next']]) {
        const r = await run(argv, t.dir);
        expect(r.code).toBe(1);
        for (const line of WANT) {
          const [at, rule, ...words] = line.split(' ');
          expect(r.stderr).toContain(`${at}  error  ${words.join(' ')}`);
          expect(r.stderr).toContain(rule);
        }
      }
    } finally {
      t.done();
    }
  });

  it('writes known ids as runs', () => {
    expect(idRuns(['001', '003', '004', '005', '007', '008', '010a'])).toBe('001, 003-005, 007, 008, 010a');
    expect(idRuns([])).toBe('none');
  });
});
