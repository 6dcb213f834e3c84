/**
 * What `plan-tasks graph` prints: a view of the task graph (one story and its
 * cross-story neighbours, or every story) as Mermaid, Graphviz DOT or JSON.
 * Labels carry the task id, title and domain; nodes are styled by status
 * phase (done / in progress / pending / unknown status); stories other than
 * the one in focus are grouped (Mermaid subgraphs, DOT clusters); cross-story
 * edges are dashed and the critical path is drawn thick.
 */
import type { TaskPhase } from '../status/index.js';
import { analyze, edgesAmong, storyView, type StoryInfo, type TaskGraph, type TaskNode } from './task-graph.js';
import { visible } from '../report/visible.js';

export interface GraphView {
  /** The story in focus, or null for every story. */
  focus: string | null;
  nodes: TaskNode[];
  /** From a dependency to the task that needs it. */
  edges: { from: string; to: string }[];
  waves: string[][];
  criticalPath: string[];
  /** The stories with nodes in the view, in id order. */
  stories: StoryInfo[];
}

/**
 * The view of one story (its tasks plus their cross-story dependencies and
 * dependents) or of all stories. Waves and the critical path are those of
 * the tasks shown.
 */
export function graphView(tg: TaskGraph, focus: string | null): GraphView {
  const keep = focus === null ? null : storyView(tg, focus);
  const a = analyze(tg, keep ? (id) => keep.has(id) : undefined);
  const nodes = a.ids.map((id) => tg.nodes.get(id)!);
  const storyIds = new Set(nodes.map((n) => n.story));
  if (focus !== null) storyIds.add(focus);
  const stories = [...tg.stories.values()].filter((s) => storyIds.has(s.id));
  return { focus, nodes, edges: edgesAmong(tg, a.ids, keep ?? undefined), waves: a.waves, criticalPath: a.criticalPath, stories };
}

/**
 * `graph --format json` (README, "graph"), two-space indented with a final
 * newline: `{ nodes: [{ id: "050/001", story, task, title, domain, status }],
 * edges: [{ from, to }] (from a dependency to the task that needs it), waves:
 * [[id]] (tasks that can run side by side, in order), criticalPath: [id]
 * (a longest chain, dependency first) }`. Title, domain and status as written.
 */
export function toJson(view: GraphView): string {
  const out = {
    nodes: view.nodes.map((n) => ({ id: n.id, story: n.story, task: n.task, title: n.title, domain: n.domain, status: n.status })),
    edges: view.edges,
    waves: view.waves,
    criticalPath: view.criticalPath,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

type StyleName = 'done' | 'inProgress' | 'pending' | 'unknownStatus';

const STYLE: Record<StyleName, { fill: string; stroke: string; color: string; dash?: boolean }> = {
  done: { fill: '#d3f9d8', stroke: '#2b8a3e', color: '#1b4332' },
  inProgress: { fill: '#fff3bf', stroke: '#e67700', color: '#5c3c00' },
  pending: { fill: '#f8f9fa', stroke: '#868e96', color: '#212529' },
  unknownStatus: { fill: '#ffe3e3', stroke: '#c92a2a', color: '#5c0000', dash: true },
};

function styleOf(phase: TaskPhase | null): StyleName {
  if (phase === 'done') return 'done';
  if (phase === 'active') return 'inProgress';
  if (phase === 'pending') return 'pending';
  return 'unknownStatus';
}

const oneLine = (s: string): string => visible(s.replace(/\s+/g, ' ').trim());

/**
 * Text for a quoted Mermaid string: characters Mermaid or its HTML labels read
 * as syntax become Mermaid entity codes (`#34;`), which it turns back into the
 * characters when it draws. Everything else (brackets, unicode) is kept.
 */
export function mermaidText(s: string): string {
  return oneLine(s).replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Text for a quoted DOT string (labels): backslash and quote escaped. */
export function dotText(s: string): string {
  return oneLine(s).replace(/[\\"]/g, (c) => `\\${c}`);
}

const mermaidId = (id: string): string => `t${id.replace(/[^A-Za-z0-9]/g, '_')}`;
const storyLabel = (s: StoryInfo | undefined, id: string): string => (s?.title ? `Story ${id}: ${s.title}` : `Story ${id}`);

function nodeLabel(n: TaskNode): { head: string; domain: string } {
  return { head: n.title ? `${n.task}: ${n.title}` : n.task, domain: n.domain || 'no domain' };
}

/** Group the view's nodes: those drawn at top level, and one group per other story. */
function groups(view: GraphView): { top: TaskNode[]; clusters: { story: StoryInfo | undefined; id: string; nodes: TaskNode[] }[] } {
  const top: TaskNode[] = [];
  const by = new Map<string, TaskNode[]>();
  for (const n of view.nodes) {
    if (n.story === view.focus) top.push(n);
    else {
      const list = by.get(n.story) ?? [];
      list.push(n);
      by.set(n.story, list);
    }
  }
  const info = new Map(view.stories.map((s) => [s.id, s]));
  return { top, clusters: [...by].map(([id, nodes]) => ({ id, story: info.get(id), nodes })) };
}

function criticalEdges(view: GraphView): Set<string> {
  const set = new Set<string>();
  for (let i = 1; i < view.criticalPath.length; i++) set.add(`${view.criticalPath[i - 1]}>${view.criticalPath[i]}`);
  return set;
}

/** `graph --format mermaid`: a flowchart, without the code fence. */
export function toMermaid(view: GraphView): string {
  const lines: string[] = ['flowchart LR'];
  const focus = view.focus === null ? null : view.stories.find((s) => s.id === view.focus);
  lines.push(`  %% plan-tasks graph ${view.focus ?? 'all'}: green done, amber in progress, grey pending, red unknown status, thick critical path, dashed across stories`);
  const node = (n: TaskNode, indent: string) => {
    const l = nodeLabel(n);
    lines.push(`${indent}${mermaidId(n.id)}["${mermaidText(l.head)}<br/><small>${mermaidText(l.domain)}</small>"]:::${styleOf(n.phase)}`);
  };
  const { top, clusters } = groups(view);
  if (view.nodes.length === 0) {
    lines.push(`  empty["${mermaidText(focus ? `${storyLabel(focus, focus.id)}: no tasks yet` : 'No tasks yet')}"]`);
  }
  for (const n of top) node(n, '  ');
  for (const c of clusters) {
    lines.push(`  subgraph ${mermaidId(`s${c.id}`)}["${mermaidText(storyLabel(c.story, c.id))}"]`);
    for (const n of c.nodes) node(n, '    ');
    lines.push('  end');
  }
  const critical = criticalEdges(view);
  const thick: number[] = [];
  view.edges.forEach((e, i) => {
    const cross = e.from.split('/')[0] !== e.to.split('/')[0];
    lines.push(`  ${mermaidId(e.from)} ${cross ? '-.->' : '-->'} ${mermaidId(e.to)}`);
    if (critical.has(`${e.from}>${e.to}`)) thick.push(i);
  });
  const used = new Set(view.nodes.map((n) => styleOf(n.phase)));
  for (const [name, s] of Object.entries(STYLE)) {
    if (!used.has(name as StyleName)) continue;
    lines.push(`  classDef ${name} fill:${s.fill},stroke:${s.stroke},color:${s.color}${s.dash ? ',stroke-dasharray:4 3' : ''}`);
  }
  if (view.criticalPath.length) {
    lines.push('  classDef critical stroke-width:3px');
    lines.push(`  class ${view.criticalPath.map(mermaidId).join(',')} critical`);
  }
  if (thick.length) lines.push(`  linkStyle ${thick.join(',')} stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

/** `graph --format dot`: a Graphviz digraph. */
export function toDot(view: GraphView): string {
  const lines: string[] = [`digraph "plan-tasks" {`];
  lines.push('  rankdir=LR;');
  lines.push('  graph [fontname="Helvetica"];');
  lines.push('  node [shape=box, style="rounded,filled", fontname="Helvetica"];');
  lines.push('  edge [color="#495057"];');
  const onPath = new Set(view.criticalPath);
  const node = (n: TaskNode, indent: string) => {
    const l = nodeLabel(n);
    const s = STYLE[styleOf(n.phase)];
    const style = s.dash ? ', style="rounded,filled,dashed"' : '';
    const pen = onPath.has(n.id) ? ', penwidth=2.5' : '';
    lines.push(`${indent}"${n.id}" [label="${dotText(l.head)}\\n${dotText(l.domain)}", fillcolor="${s.fill}", color="${s.stroke}", fontcolor="${s.color}"${style}${pen}];`);
  };
  const { top, clusters } = groups(view);
  for (const n of top) node(n, '  ');
  for (const c of clusters) {
    lines.push(`  subgraph "cluster_${c.id}" {`);
    lines.push(`    label="${dotText(storyLabel(c.story, c.id))}";`);
    lines.push('    style="rounded,dashed"; color="#adb5bd";');
    for (const n of c.nodes) node(n, '    ');
    lines.push('  }');
  }
  const critical = criticalEdges(view);
  for (const e of view.edges) {
    const attrs: string[] = [];
    if (e.from.split('/')[0] !== e.to.split('/')[0]) attrs.push('style=dashed');
    if (critical.has(`${e.from}>${e.to}`)) attrs.push('penwidth=2.5');
    lines.push(`  "${e.from}" -> "${e.to}"${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
