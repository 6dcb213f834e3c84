/**
 * Editors: the preset under the real unified-language-server (what
 * vscode-remark runs), spoken to over LSP stdio. The server runs from the
 * plan-tasks repository, whose own config differs from the linted project's:
 * the diagnostics must follow the config of the story's folder, and each
 * fixable finding must come with a quick fix that does what `--fix` does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './cli-helpers.js';

const REPO = resolve(__dirname, '..');
const FIXTURE = join(REPO, 'test/fixtures/lsp');

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  severity: number;
  code?: string;
  source?: string;
  codeDescription?: { href: string };
  data?: { expected?: string[] };
}
interface TextEdit {
  range: Diagnostic['range'];
  newText: string;
}

/** A minimal LSP client: Content-Length framing over the child's stdio. */
class Client {
  private buffer = Buffer.alloc(0);
  private id = 0;
  private readonly pending = new Map<number, (value: unknown) => void>();
  private readonly waiters: { method: string; resolve: (params: unknown) => void }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())![1]);
        if (this.buffer.length < end + 4 + length) return;
        const body = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
        this.buffer = this.buffer.subarray(end + 4 + length);
        this.receive(body);
      }
    });
  }

  private receive(msg: { id?: number; method?: string; params?: unknown; result?: unknown }) {
    if (msg.method && msg.id !== undefined) {
      // A request from the server (registration, configuration): answer null.
      this.write({ jsonrpc: '2.0', id: msg.id, result: null });
      return;
    }
    if (msg.method) {
      this.notifications.push({ method: msg.method, params: msg.params });
      const i = this.waiters.findIndex((w) => w.method === msg.method);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg.params);
      return;
    }
    this.pending.get(msg.id!)?.(msg.result);
  }

  private write(msg: unknown) {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = ++this.id;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (value: unknown) => void);
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown) {
    this.write({ jsonrpc: '2.0', method, params });
  }

  next<T>(method: string): Promise<T> {
    return new Promise((resolve) => this.waiters.push({ method, resolve: resolve as (params: unknown) => void }));
  }
}

/** Apply LSP text edits (line/character in UTF-16 units) to a text. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => starts[p.line]! + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of sorted) text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  return text;
}

let dir: string;
let client: Client;
let storyPath: string;
let storyText: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pt-lsp-'));
  cpSync(join(FIXTURE, 'docs'), join(dir, 'docs'), { recursive: true });
  cpSync(join(FIXTURE, 'plan-tasks.config.json'), join(dir, 'plan-tasks.config.json'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.remarkrc.mjs'), `import preset from ${JSON.stringify(pathToFileURL(join(REPO, 'dist/preset.js')).href)};\nexport default { plugins: [preset] };\n`);
  storyPath = join(dir, 'docs/stories/001-quick-fix.md');
  storyText = readFileSync(storyPath, 'utf8');
  // Started from the plan-tasks repository, whose plan-tasks.config.json is another one.
  const child = spawn(process.execPath, [join(FIXTURE, 'server.mjs'), '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
  client = new Client(child);
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  client.notify('initialized', {});
}, 60_000);

afterAll(async () => {
  if (client) {
    await client.request('shutdown', null);
    client.notify('exit', null);
    await new Promise((r) => client.child.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('unified-language-server with plan-tasks/preset', () => {
  let diagnostics: Diagnostic[];
  const uri = () => pathToFileURL(storyPath).href;

  it('publishes the diagnostics plan-tasks lint gives, under the config of the story folder', async () => {
    const published = client.next<{ uri: string; diagnostics: Diagnostic[] }>('textDocument/publishDiagnostics');
    client.notify('textDocument/didOpen', { textDocument: { uri: uri(), languageId: 'markdown', version: 1, text: storyText } });
    const params = await published;
    expect(params.uri).toBe(uri());
    // remark lists messages rule by rule; the CLI by position.
    diagnostics = params.diagnostics.filter((d) => d.source === 'plan-tasks').sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    expect(params.diagnostics).toHaveLength(diagnostics.length);
    const cli = runBin(['lint', '--format', 'json', '--no-transitions', 'docs/stories/001-quick-fix.md'], dir);
    const messages = (JSON.parse(cli.stdout) as { messages: { ruleId: string; line: number; column: number; message: string; severity: number }[] }[])[0]!.messages;
    expect(messages.map((m) => m.ruleId)).toEqual(['task-heading', 'task-status', 'task-heading']);
    expect(diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.message.split('\n')[0], d.severity])).toEqual(
      messages.map((m) => [m.ruleId, m.line, m.column, m.message, m.severity === 2 ? 1 : 2]),
    );
    // `Doing` is a case slip of this project's `doing`, not an unknown status.
    expect(diagnostics[1]!.message).toContain('expected `doing`');
    for (const d of diagnostics) expect(d.codeDescription?.href).toBe(`https://github.com/plan-tasks/plan-tasks/blob/main/docs/rules/${d.code}.md`);
  });

  it('offers one preferred quick fix per fixable diagnostic, and applying them all gives what --fix writes', async () => {
    const edits: TextEdit[] = [];
    for (const d of diagnostics) {
      expect(d.data?.expected).toHaveLength(1);
      const actions = await client.request<{ title: string; kind: string; isPreferred?: boolean; edit: { changes: Record<string, TextEdit[]> } }[]>('textDocument/codeAction', {
        textDocument: { uri: uri() },
        range: d.range,
        context: { diagnostics: [d] },
      });
      expect(actions).toHaveLength(1);
      expect(actions[0]!.kind).toBe('quickfix');
      expect(actions[0]!.isPreferred).toBe(true);
      edits.push(...actions[0]!.edit.changes[uri()]!);
    }
    expect(diagnostics.length).toBe(3);
    const quickFixed = applyEdits(storyText, edits);
    const fixed = runBin(['lint', '--fix', '--no-transitions', 'docs/stories/001-quick-fix.md'], dir);
    expect(fixed.code).toBe(0);
    expect(quickFixed).toBe(readFileSync(storyPath, 'utf8'));
    expect(quickFixed).not.toBe(storyText);
  });
});
