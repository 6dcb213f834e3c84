/**
 * The project the cross-story rules read: every story file of the snapshot by
 * story number, read only when a linted story reaches it (a `014/003` ref, a
 * `## Dependencies` entry, or a walk along those for cycles), through
 * summaries that a cache can hold. The rules themselves are registry entries
 * with a `checkProject` (rules/*.ts); `crossStoryMessages` in
 * src/lint/engine.ts runs them.
 */
import type { Story, Task } from '../story/model.js';
import { storyKey } from '../rules/util.js';
import type { ProjectView } from '../rules/types.js';
import type { StorySummary } from './types.js';

export { storyKey };
export type { StorySummary };

export function summarize(story: Story, path: string): StorySummary {
  return {
    id: story.id,
    path,
    status: story.status?.value ?? null,
    tasks: story.tasks
      .filter((t): t is Task & { id: string } => t.id !== null)
      .map((t) => ({ id: t.id, status: t.status?.value.trim() ?? null, depends: t.depends.map((r) => (r.story ? { story: r.story, task: r.task } : { task: r.task })) })),
    dependencies: [...new Set(story.dependencies.map((d) => d.story))],
  };
}

/** The story number in a story file's name (`020-alpha.md`, `1042.md`), or null. */
export function fileStoryId(file: string): string | null {
  const m = /(?:^|[\\/])(\d{3,}[a-z]?)(?:-[^\\/]*)?\.md$/i.exec(file);
  return m ? m[1]! : null;
}

/** Story files by story number; `get` and `has` take any spelling of a number (`0123`, `123`). */
class StoryIndex extends Map<string, string[]> {
  override get(id: string): string[] | undefined {
    return super.get(storyKey(id));
  }
  override has(id: string): boolean {
    return super.has(storyKey(id));
  }
}

/**
 * The stories of the configured glob, by the number in their file name, plus
 * `extra` files linted from outside the glob (named on the command line): those
 * resolve refs too, after the glob's files, but take no part in `story-id-unique`.
 */
export class Project implements ProjectView {
  readonly byId: Map<string, string[]> = new StoryIndex();
  /** The files of the stories glob. */
  readonly members: ReadonlySet<string>;
  private readonly summaries = new Map<string, StorySummary | null>();

  constructor(
    files: readonly string[],
    private readonly load: (path: string) => StorySummary | null,
    extra: readonly string[] = [],
  ) {
    this.members = new Set(files);
    for (const file of new Set([...files, ...extra])) {
      const id = fileStoryId(file);
      if (id === null) continue;
      const key = storyKey(id);
      const list = Map.prototype.get.call(this.byId, key) as string[] | undefined;
      if (list) list.push(file);
      else Map.prototype.set.call(this.byId, key, [file]);
    }
  }

  /** Register a story already parsed in this run (so it is not read twice). */
  add(summary: StorySummary): void {
    this.summaries.set(summary.path, summary);
  }

  summary(id: string): StorySummary | null {
    const files = this.byId.get(id);
    if (!files || files.length === 0) return null;
    const path = files[0]!;
    if (!this.summaries.has(path)) {
      let s: StorySummary | null = null;
      try {
        s = this.load(path);
      } catch {
        s = null;
      }
      this.summaries.set(path, s);
    }
    return this.summaries.get(path) ?? null;
  }
}
