export type Severity = 'off' | 'warn' | 'error';

export interface DomainConfig {
  name: string;
  /** Words that signal this domain in a task's text (hints and scaffolding). */
  keywords: string[];
  /** Path globs whose files belong to this domain. */
  paths: string[];
}

export interface SizingConfig {
  /** Sentences of prose in a task description. */
  sentences: { min: number; max: number };
  /** Allowed `**Estimate:**` range, in hours. */
  estimate: { min: number; max: number };
  /** Tasks per story before `story-size` asks for a split. */
  maxTasks: number;
  /** Distinct files a task may name before `task-size` calls it big. */
  maxFiles: number;
  /** Numbered steps a task may list before `task-size` calls it big. */
  maxSteps: number;
}

export interface ResolvedConfig {
  /** Directory globs and story paths are resolved against. */
  root: string;
  /** The file the config came from, or null for the built-in defaults. */
  configFile: string | null;
  stories: string[];
  domains: DomainConfig[];
  /** Task statuses: the first is "not started", the last is "done", any others are "in progress". */
  taskStatuses: string[];
  /** Story statuses in workflow order: the last is "done", the one before it "in progress". */
  storyStatuses: string[];
  /** Allowed task status changes: from -> [to]. Unchanged status is always allowed. */
  transitions: Record<string, string[]>;
  sizing: SizingConfig;
  rules: Record<string, Severity>;
}
