// Text that names tools names only the tools this server serves (issue 12 item 4): a description,
// prompt or instruction that sends the model to a tool it cannot call is a guess it has to make.

/** The catalogue's tool names that `text` mentions and that are not served. */
export function unservedIn(text: string, serves: (tool: string) => boolean, names: readonly string[]): string[] {
  return names.filter((n) => !serves(n) && new RegExp(`(^|[^a-z0-9_])${n}([^a-z0-9_]|$)`).test(text));
}

/**
 * The text without the sentences that name a tool not served. Sentences end at ". " (or the end); a
 * text whose every sentence names one is returned unchanged rather than emptied (its caller's test
 * catches that case).
 */
export function withoutUnserved(text: string, serves: (tool: string) => boolean, names: readonly string[]): string {
  const sentences = text.split(/(?<=\.)\s+/);
  const kept = sentences.filter((s) => unservedIn(s, serves, names).length === 0);
  return kept.length ? kept.join(' ') : text;
}
