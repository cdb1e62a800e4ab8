// The generated completion scripts are valid shell and complete nouns, verbs, flags and choices.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bashCompletion, zshCompletion } from '../../src/cli/completion.js';
import { loadNouns } from '../../src/cli/commands/index.js';

const NOUNS = await loadNouns();
import { tempHome } from '../helpers/cli.js';

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

function complete(script: string, words: string[]): string[] {
  const file = join(tempHome(), 'c.bash');
  writeFileSync(file, script);
  const line = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _celigo_manage; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', line], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('completion', () => {
  it.skipIf(!has('bash'))('bash: valid syntax; nouns, verbs, flags and choices', () => {
    const script = bashCompletion(NOUNS);
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    expect(complete(script, ['celigo-manage', 'fl'])).toEqual(['flows']);
    expect(complete(script, ['celigo-manage', 'flows', ''])).toEqual(['list', 'get', 'run', 'update', 'enable', 'disable', 'monitor', 'using', 'delete']);
    expect(complete(script, ['celigo-manage', '--demo', 'flows', 'run', 'x', '--w'])).toEqual(['--wait']);
    expect(complete(script, ['celigo-manage', 'jobs', 'list', '--status', 'fa'])).toEqual(['failed']);
    expect(complete(script, ['celigo-manage', 'health', '--'])).toContain('--html');
    expect(complete(script, ['celigo-manage', 'health', '--'])).toContain('--demo');
    expect(complete(script, ['celigo-manage', 'completion', ''])).toEqual(['bash', 'zsh']);
  });

  it.skipIf(!has('zsh'))('zsh: valid syntax', () => {
    expect(spawnSync('zsh', ['-n'], { input: zshCompletion(NOUNS) }).status).toBe(0);
  });

  it('zsh: names every noun and verb with its summary', () => {
    const z = zshCompletion(NOUNS);
    expect(z.startsWith('#compdef celigo-manage')).toBe(true);
    for (const n of NOUNS) expect(z).toContain(`'${n.name}:`);
    expect(z).toContain("'retry:Retry open errors");
  });
});
