/** Mermaid's own parser, in Node with a jsdom DOM (for tests that check Mermaid we print). */
export type Mermaid = { parse: (text: string, options?: { suppressErrors?: boolean }) => Promise<unknown> };

export async function loadMermaid(): Promise<Mermaid> {
  // jsdom ships no types; only its constructor and window are used here.
  const jsdom = 'jsdom';
  const { JSDOM } = (await import(jsdom)) as { JSDOM: new (html: string) => { window: { document: unknown } } };
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  const g = globalThis as Record<string, unknown>;
  g.window ??= dom.window;
  g.document ??= dom.window.document;
  const mermaid = (await import('mermaid')).default as unknown as Mermaid & { initialize: (c: object) => void };
  mermaid.initialize({ startOnLoad: false });
  return mermaid;
}
