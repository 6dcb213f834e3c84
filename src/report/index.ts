/**
 * The formatters, loaded lazily by name so a run pays only for the one it
 * prints with.
 */
import { buffered, type Formatter, type StreamFormatter } from './types.js';

export const FORMATS: Record<string, () => Promise<Formatter>> = {
  stylish: async () => (await import('./stylish.js')).stylish,
  json: async () => (await import('./json.js')).json,
  github: async () => (await import('./github.js')).github,
  sarif: async () => (await import('./sarif.js')).sarif,
  markdown: async () => (await import('./markdown.js')).markdown,
};

export const FORMAT_NAMES = () => Object.keys(FORMATS);

/**
 * The formatters as streams, by the same names: stylish, json and github
 * write each result as it comes; sarif and markdown need every result first
 * (`buffered`). `plan-tasks lint` prints through these.
 */
export const STREAM_FORMATS: Record<string, () => Promise<StreamFormatter>> = {
  stylish: async () => (await import('./stylish.js')).stylishStream,
  json: async () => (await import('./json.js')).jsonStream,
  github: async () => (await import('./github.js')).githubStream,
  sarif: async () => buffered((await import('./sarif.js')).sarif),
  markdown: async () => buffered((await import('./markdown.js')).markdown),
};
