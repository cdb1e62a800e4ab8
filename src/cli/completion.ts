// Shell completion scripts generated from the command table: nouns, verbs, each command's flags, the
// choices of flags that have them, and profile names for --profile.
import type { CommandSpec, LoadedNoun as NounSpec } from './spec.js';
import { GLOBAL_FLAGS, VALUE_FLAGS, longFlag } from './globals.js';

/** The global flags as completion shows them (cli/globals.ts), plus --help. */
const COMPLETION_GLOBALS: [string, string][] = [...GLOBAL_FLAGS.map((g) => [longFlag(g), g.short] as [string, string]), ['--help', 'Show help']];

function flagsOf(spec: CommandSpec): { flag: string; takesValue: boolean; choices?: readonly string[]; description: string }[] {
  return (spec.options ?? []).map((o) => {
    const long = o.flags.split(/[ ,]+/).find((f) => f.startsWith('--'))!;
    return { flag: long, takesValue: /[<[]/.test(o.flags), choices: o.choices, description: o.description };
  });
}

function commandsOf(nouns: readonly NounSpec[]): { noun: string; verb?: string; spec: CommandSpec }[] {
  return nouns.flatMap((n) => (n.command ? [{ noun: n.name, spec: n.command }] : (n.verbs ?? []).map((v) => ({ noun: n.name, verb: v.name, spec: v }))));
}

const PROFILE_NAMES = `celigo-manage profiles list --json name 2>/dev/null | sed -n 's/.*"name": *"\\([^"]*\\)".*/\\1/p'`;

export function bashCompletion(nouns: readonly NounSpec[]): string {
  const globals = COMPLETION_GLOBALS.map(([f]) => f).join(' ');
  const cmds = commandsOf(nouns);
  const verbCases = nouns
    .filter((n) => n.verbs)
    .map((n) => `    ${n.name}) verbs="${n.verbs!.map((v) => v.name).join(' ')}" ;;`)
    .join('\n');
  const optCases = cmds
    .map((c) => `    "${c.noun}${c.verb ? ' ' + c.verb : ''}") opts="${flagsOf(c.spec).map((f) => f.flag).join(' ')}" ;;`)
    .join('\n');
  const choiceFlags = new Map<string, readonly string[]>();
  for (const c of cmds) for (const f of flagsOf(c.spec)) if (f.choices) choiceFlags.set(f.flag, f.choices);
  const valueFlags = [...new Set([...VALUE_FLAGS.filter((f) => f !== '--profile'), ...cmds.flatMap((c) => flagsOf(c.spec).filter((f) => f.takesValue && !f.choices).map((f) => f.flag))])];
  const choiceCases = [...choiceFlags].map(([f, ch]) => `    ${f}) COMPREPLY=( $(compgen -W "${ch.join(' ')}" -- "$cur") ); return ;;`).join('\n');
  return `# bash completion for celigo-manage
# Install: celigo-manage completion bash > ~/.local/share/bash-completion/completions/celigo-manage
#      or: source <(celigo-manage completion bash)
_celigo_manage() {
  local cur prev noun="" verb="" i w verbs="" opts=""
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    --profile) COMPREPLY=( $(compgen -W "$(${PROFILE_NAMES})" -- "$cur") ); return ;;
    --record) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    completion) COMPREPLY=( $(compgen -W "bash zsh" -- "$cur") ); return ;;
${choiceCases}
    ${valueFlags.join('|') || '--__none__'}) COMPREPLY=(); return ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      --profile|${valueFlags.join('|') || '--__none__'}) ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ -z "$noun" ]]; then noun="$w"; elif [[ -z "$verb" ]]; then verb="$w"; fi
  done
  if [[ -z "$noun" ]]; then
    COMPREPLY=( $(compgen -W "${nouns.map((n) => n.name).join(' ')} ${globals}" -- "$cur") )
    return
  fi
  case "$noun" in
${verbCases}
  esac
  if [[ -n "$verbs" && -z "$verb" ]]; then
    COMPREPLY=( $(compgen -W "$verbs" -- "$cur") )
    return
  fi
  case "$noun\${verb:+ $verb}" in
${optCases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts ${globals}" -- "$cur") )
  fi
}
complete -o default -F _celigo_manage celigo-manage
`;
}

function zq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function zshCompletion(nouns: readonly NounSpec[]): string {
  const nounList = nouns.map((n) => zq(`${n.name}:${n.summary}`)).join(' ');
  const globalSpecs = COMPLETION_GLOBALS.map(([f, d]) => zq(`${f}:${d}`)).join(' ');
  const verbCases = nouns
    .filter((n) => n.verbs)
    .map((n) => `      ${n.name}) verbs=(${n.verbs!.map((v) => zq(`${v.name}:${v.summary}`)).join(' ')}) ;;`)
    .join('\n');
  const cmds = commandsOf(nouns);
  const optCases = cmds
    .map((c) => `      ${zq(`${c.noun}${c.verb ? ' ' + c.verb : ''}`)}) opts=(${flagsOf(c.spec).map((f) => zq(`${f.flag}:${f.description.replace(/:/g, '\\:')}`)).join(' ')}) ;;`)
    .join('\n');
  const choiceCases: string[] = [];
  const seen = new Set<string>();
  for (const c of cmds) {
    for (const f of flagsOf(c.spec)) {
      if (f.choices && !seen.has(f.flag)) {
        seen.add(f.flag);
        choiceCases.push(`    ${f.flag}) compadd -- ${f.choices.join(' ')}; return ;;`);
      }
    }
  }
  const valueFlags = [...new Set([...VALUE_FLAGS.filter((f) => f !== '--profile'), ...cmds.flatMap((c) => flagsOf(c.spec).filter((f) => f.takesValue && !f.choices).map((f) => f.flag))])];
  return `#compdef celigo-manage
# zsh completion for celigo-manage
# Install: celigo-manage completion zsh > "\${fpath[1]}/_celigo-manage"
#      or: source <(celigo-manage completion zsh)
_celigo_manage() {
  local noun="" verb="" w i
  local -a nouns verbs opts globals
  nouns=(${nounList})
  globals=(${globalSpecs})
  case "\${words[CURRENT-1]}" in
    --profile) compadd -- \${(f)"$(${PROFILE_NAMES})"}; return ;;
    completion) compadd -- bash zsh; return ;;
${choiceCases.join('\n')}
    ${valueFlags.join('|') || '--__none__'}) _files; return ;;
  esac
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    case "$w" in
      --profile|${valueFlags.join('|') || '--__none__'}) ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ -z "$noun" ]]; then noun="$w"; elif [[ -z "$verb" ]]; then verb="$w"; fi
  done
  if [[ -z "$noun" ]]; then
    if [[ "$PREFIX" == -* ]]; then _describe -t options 'option' globals; else _describe -t commands 'command' nouns; fi
    return
  fi
  case "$noun" in
${verbCases}
  esac
  if (( \${#verbs} )) && [[ -z "$verb" ]]; then
    _describe -t commands 'verb' verbs
    return
  fi
  case "$noun\${verb:+ $verb}" in
${optCases}
  esac
  if [[ "$PREFIX" == -* ]]; then
    _describe -t options 'option' opts -- globals
  else
    _files
  fi
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _celigo_manage "$@"
else
  compdef _celigo_manage celigo-manage
fi
`;
}
