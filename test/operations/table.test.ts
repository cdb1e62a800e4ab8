// A new operation is one declaration: from it come the MCP tool, the CLI command, the README row and the
// shell completion. Checked for every operation of the table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashCompletion } from '../../src/cli/completion.js';
import { loadNouns } from '../../src/cli/commands/index.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { OPERATIONS } from '../../src/operations/index.js';
import { surfacesOf } from '../../src/operations/types.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('the operation table', () => {
  it.each(OPERATIONS.map((op) => [op.name, op] as const))('%s: a tool, a command, a README row, completion', async (name, op) => {
    expect(catalogue().some((t) => t.name === name)).toBe(true);
    expect(readme).toContain(`\`${name}\``);
    const nouns = await loadNouns();
    const script = bashCompletion(nouns);
    for (const s of surfacesOf(op)) {
      const noun = nouns.find((n) => n.name === s.noun);
      expect(noun, `${name}: noun ${s.noun}`).toBeDefined();
      const command = s.verb ? noun!.verbs?.find((v) => v.name === s.verb) : noun!.command;
      expect(command, `${name}: ${s.noun} ${s.verb ?? ''}`).toBeDefined();
      expect(command!.mutating ?? false).toBe(!op.annotations.readOnlyHint);
      if (s.verb) expect(script).toContain(s.verb);
    }
  });

  it('has one operation per tool name and one per command', () => {
    const names = OPERATIONS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    const commands = OPERATIONS.flatMap((o) => surfacesOf(o).map((s) => `${s.noun} ${s.verb ?? ''}`));
    expect(new Set(commands).size).toBe(commands.length);
  });
});
