/**
 * Writing JSON the way a file already has it (package.json, .lintstagedrc.json,
 * .claude/settings.json): `init` and `init --agent` edit such files.
 *
 * `formatJsonLike` re-serializes a whole value in the file's style; the
 * minimal edits (`parseJsonTree`, `insertProperty`, `appendItem`,
 * `replaceValue`) change the bytes of one value, property or item at its known
 * offsets and leave every other byte (the user's inline objects, key order,
 * spacing) as it was.
 */

import { parseTree, printParseErrorCode, type Node as JsoncNode, type ParseError } from 'jsonc-parser';

/** The indentation a JSON text uses (its first indented line), or two spaces. */
function detectIndent(text: string): string {
  const m = /^[ \t]*[{[][ \t]*\r?\n([ \t]+)\S/.exec(text.replace(/^\uFEFF/, ''));
  return m ? m[1]! : '  ';
}

/** Serialize like the original: same indentation, line ending, BOM and final newline. */
export function formatJsonLike(original: string, value: unknown): string {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const crlf = /\r\n/.test(original);
  const finalNewline = /\n$/.test(original);
  let out = JSON.stringify(value, null, detectIndent(original));
  if (finalNewline) out += '\n';
  if (crlf) out = out.replace(/\n/g, '\r\n');
  return bom + out;
}

/** A JSON value in a text, with the offsets of its first and past-its-last character. */
export type JsonNode =
  | { kind: 'object'; start: number; end: number; props: JsonProperty[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'scalar'; start: number; end: number };

/** A member of a JSON object: its key, where the key starts, and its value. */
export interface JsonProperty {
  key: string;
  keyStart: number;
  value: JsonNode;
}

/**
 * The tree of offsets of a JSON text (a leading BOM skipped), read by
 * jsonc-parser (VS Code's JSON reader) in strict mode: no comments, no
 * trailing commas. Throws a SyntaxError on text that is not JSON (or nested
 * past what the reader can hold); callers check it with JSON.parse first.
 */
export function parseJsonTree(text: string): JsonNode {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const errors: ParseError[] = [];
  let root: JsoncNode | undefined;
  try {
    root = parseTree(bom ? text.slice(1) : text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (error) {
    if (error instanceof RangeError) throw new SyntaxError('JSON nested too deeply');
    throw error;
  }
  if (errors.length || !root) throw new SyntaxError(`Unexpected JSON at offset ${(errors[0]?.offset ?? 0) + bom}: ${errors.length ? printParseErrorCode(errors[0]!.error) : 'no value'}`);
  const convert = (n: JsoncNode, depth: number): JsonNode => {
    if (depth > 512) throw new SyntaxError('JSON nested too deeply');
    const start = n.offset + bom;
    const end = start + n.length;
    if (n.type === 'object') {
      const props: JsonProperty[] = (n.children ?? []).map((p) => {
        const [key, value] = p.children as [JsoncNode, JsoncNode];
        return { key: key.value as string, keyStart: key.offset + bom, value: convert(value, depth + 1) };
      });
      return { kind: 'object', start, end, props };
    }
    if (n.type === 'array') return { kind: 'array', start, end, items: (n.children ?? []).map((c) => convert(c, depth + 1)) };
    return { kind: 'scalar', start, end };
  };
  return convert(root, 0);
}

/** The property `key` of an object node (the last, as JSON.parse reads duplicates). */
export function propertyOf(node: JsonNode, key: string): JsonProperty | undefined {
  return node.kind === 'object' ? node.props.filter((p) => p.key === key).pop() : undefined;
}

/**
 * The line ending most of a text's lines use (`\r\n` when most end so), `\n` for
 * none. Not `dominantEol` of src/story/parse.ts, which takes the first one: a
 * file a user appended one CRLF line to is still an LF file.
 */
export function majorityEol(text: string): string {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** The blanks that open the line `offset` is on. */
function lineLead(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))![0];
}

/** The indentation of the line `offset` is on, when only blanks come before it there; else null (an inline value). */
function lineIndent(text: string, offset: number): string | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : null;
}

/** `value` serialized to sit at a place indented `indent` (null: inline, on one line). */
function serialize(value: unknown, indent: string | null, unit: string, eol: string): string {
  if (indent === null) return JSON.stringify(value);
  return JSON.stringify(value, null, unit).split('\n').join(eol + indent);
}

/**
 * Insert a member into the object or array `node` after its last one: on a
 * line of its own indented like its siblings when the container spans lines,
 * inline (`, x`) when it is on one line; an empty container gets the member on
 * its own line when the file spans lines. `member(indent)` writes the member
 * for that indentation (null: inline).
 */
function insertMember(text: string, node: JsonNode & { kind: 'object' | 'array' }, member: (indent: string | null, unit: string, eol: string) => string): string {
  const unit = detectIndent(text);
  const eol = majorityEol(text);
  const members = node.kind === 'object' ? node.props.map((p) => ({ start: p.keyStart, end: p.value.end })) : node.items;
  const last = members[members.length - 1];
  if (last) {
    const indent = text.slice(node.start, node.end).includes('\n') ? lineIndent(text, last.start) : null;
    const sep = indent === null ? ', ' : `,${eol}${indent}`;
    return text.slice(0, last.end) + sep + member(indent, unit, eol) + text.slice(last.end);
  }
  const open = node.start + 1;
  const close = node.end - 1;
  const isRoot = text.slice(0, node.start).replace(/^\uFEFF/, '').trim() === '';
  if (!isRoot && !text.trim().includes('\n')) return `${text.slice(0, open)}${member(null, unit, eol)}${text.slice(close)}`;
  const outer = lineIndent(text, node.start) ?? lineLead(text, node.start);
  return `${text.slice(0, open)}${eol}${outer}${unit}${member(outer + unit, unit, eol)}${eol}${outer}${text.slice(close)}`;
}

/** `text` with `"key": value` added as the last member of the object `node`; every other byte kept. */
export function insertProperty(text: string, node: JsonNode & { kind: 'object' }, key: string, value: unknown): string {
  return insertMember(text, node, (indent, unit, eol) => `${JSON.stringify(key)}: ${serialize(value, indent, unit, eol)}`);
}

/** `text` with `value` added as the last item of the array `node`; every other byte kept. */
export function appendItem(text: string, node: JsonNode & { kind: 'array' }, value: unknown): string {
  return insertMember(text, node, (indent, unit, eol) => serialize(value, indent, unit, eol));
}

/** `text` with the value `node` replaced by `value`, indented like the line it starts on; every other byte kept. */
export function replaceValue(text: string, node: JsonNode, value: unknown): string {
  const inline = !text.slice(node.start, node.end).includes('\n');
  const indent = inline ? null : lineLead(text, node.start);
  return text.slice(0, node.start) + serialize(value, indent, detectIndent(text), majorityEol(text)) + text.slice(node.end);
}
