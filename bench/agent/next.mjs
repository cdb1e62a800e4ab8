// Next steps as a result states them: structuredContent.next when present, else the "Next:" lines of
// the text, each "- tool {json args}: why".

/** The JSON object starting at text[start] ('{'), by brace matching outside strings. */
function jsonAt(text, start) {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

function parseLine(line) {
  const m = /^- ([a-z_]+)(?: |:|$)/.exec(line);
  if (!m) return undefined;
  const tool = m[1];
  let rest = line.slice(m[0].length - (line[m[0].length - 1] === ':' ? 1 : 0));
  let args = {};
  if (rest.startsWith('{')) {
    const json = jsonAt(rest, 0);
    try {
      args = JSON.parse(json);
    } catch {
      return undefined;
    }
    rest = rest.slice(json.length);
  }
  return { tool, args, why: rest.replace(/^:\s*/, '').trim() };
}

export function nextSteps(text, sc) {
  if (Array.isArray(sc?.next)) return sc.next.map((n) => ({ tool: n.op ?? n.tool ?? n.name, args: n.args ?? {}, why: n.why ?? '' }));
  const at = text.lastIndexOf('Next:\n');
  if (at < 0) return [];
  const out = [];
  for (const line of text.slice(at + 6).split('\n')) {
    if (!line.startsWith('- ')) break;
    const step = parseLine(line);
    if (step) out.push(step);
  }
  return out;
}

/** The first next step calling `tool` (and matching `where`, if given). */
export function pick(next, tool, where = () => true) {
  return next.find((n) => n.tool === tool && where(n));
}

/** A value the server left for the agent to fill in ("<target>"), anywhere in the args or the why. */
export function hasPlaceholder(step) {
  return /<[a-z][^<>]*>/i.test(JSON.stringify(step.args)) || /\[\{[^\]]*"<[^"]+>"/.test(step.why);
}
