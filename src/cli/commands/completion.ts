import type { NounSpec } from '../spec.js';
import { arg } from './common.js';
import { UsageError } from '../../core/errors.js';

export const completion: NounSpec = {
  name: 'completion',
  command: {
    name: 'completion',
    summary: 'Print a shell completion script (bash or zsh)',
    args: ['<shell>'],
    argHelp: { shell: 'bash or zsh' },
    examples: ['completion bash > ~/.local/share/bash-completion/completions/celigo-manage', 'completion zsh > "${fpath[1]}/_celigo-manage"', 'source <(celigo-manage completion bash)'],
    async run(rc) {
      const shell = arg(rc, 0).toLowerCase();
      const [{ bashCompletion, zshCompletion }, NOUNS] = await Promise.all([import('../completion.js'), rc.nouns()]);
      if (shell === 'bash') rc.out.print(bashCompletion(NOUNS));
      else if (shell === 'zsh') rc.out.print(zshCompletion(NOUNS));
      else throw new UsageError(`No completion for "${shell}": use bash or zsh.`);
    },
  },
};
