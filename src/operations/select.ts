// Which tools a server exposes: --toolsets, --tools, --exclude-tools, --read-only and their
// environment twins. Pure data filtering; no SDK import (design.md §1, §3).
import { UsageError } from '../core/errors.js';
import { TOOLSETS } from './types.js';
import type { ToolDef } from './tool.js';
import { envFlag, envList } from '../config/env-flags.js';

export interface ToolSelection {
  /** Keep only tools in these toolsets (`all` keeps every toolset). */
  toolsets?: string[];
  /** Keep only these tools (added to the toolsets' tools when both are given). */
  tools?: string[];
  /** Drop these tools, whatever else selected them. */
  excludeTools?: string[];
  /** Keep only tools whose readOnlyHint is true. */
  readOnly?: boolean;
}

// Generic over the tool type so callers keep their own ToolDef specialisation.
type AnyTool = Pick<ToolDef, 'name' | 'toolset' | 'annotations'>;

function clean(list: string[] | undefined): string[] | undefined {
  if (!list) return undefined;
  const out = list.map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

function unknownError(kind: string, bad: string[], valid: readonly string[]): UsageError {
  return new UsageError(
    `Unknown ${kind}${bad.length > 1 ? 's' : ''}: ${bad.join(', ')}. Valid ${kind}s: ${valid.join(', ')}.`,
    [...valid],
  );
}

/**
 * The toolsets served when none are asked for: all of them but `manage`, workflows and backups included (the
 * product's value is there, and prompts, next steps and the skill name those tools). The default
 * tools/list stays under 20,000 bytes (test/mcp/budget.test.ts). `manage` holds what most conversations never
 * need (promote, cancel, edit and delete resources, job error files, lookup caches, the change log): `--toolsets default,manage`.
 */
export const DEFAULT_TOOLSETS: readonly string[] = TOOLSETS.filter((t) => t !== 'manage');

/**
 * Beyond the operations people ask for every day: served by `--toolsets exports` or `all`, or by name,
 * but not by default (each costs tools/list bytes every conversation pays; get_flow already shows a
 * flow's export and import, list_connections a connection's state).
 */
export const OPT_IN_TOOLS: readonly string[] = ['get_export', 'list_imports', 'get_import', 'get_connection'];

/**
 * Filters the catalogue. With neither `toolsets` nor `tools`, the DEFAULT_TOOLSETS are kept, less the
 * OPT_IN_TOOLS. `default` in `toolsets` stands for that default selection and `all` for every tool.
 * With both, a tool is kept when its toolset or its name was asked for.
 * Unknown toolset or tool names are a UsageError that lists the valid ones.
 */
export function selectTools<T extends AnyTool>(all: readonly T[], o: ToolSelection = {}): T[] {
  const names = new Set(all.map((t) => t.name));
  const tools = clean(o.tools);
  const asked = clean(o.toolsets);
  // Toolsets named explicitly serve their opt-in tools; the default selection (asked for or implied) does not.
  const explicit = new Set((asked ?? []).filter((s) => s !== 'default'));
  const implied = !asked && !tools;
  const toolsets = asked
    ? [...new Set(asked.flatMap((s) => (s === 'default' ? [...DEFAULT_TOOLSETS] : [s])))]
    : tools
      ? undefined
      : [...DEFAULT_TOOLSETS];
  const exclude = clean(o.excludeTools);

  const validSets = [...TOOLSETS, 'default', 'all'];
  const badSets = (toolsets ?? []).filter((s) => !validSets.includes(s as never));
  if (badSets.length) throw unknownError('toolset', badSets, validSets);
  const badTools = [...(tools ?? []), ...(exclude ?? [])].filter((n) => !names.has(n));
  if (badTools.length) throw unknownError('tool', badTools, [...names].sort());
  const optIn = (t: AnyTool) => OPT_IN_TOOLS.includes(t.name) && !explicit.has('all') && !explicit.has(t.toolset) && (implied || asked?.includes('default'));

  const wantAllSets = !toolsets || toolsets.includes('all');
  const setFilter = toolsets && !wantAllSets ? new Set(toolsets) : undefined;
  const toolFilter = tools ? new Set(tools) : undefined;
  const excluded = new Set(exclude ?? []);

  return all.filter((t) => {
    if (excluded.has(t.name)) return false;
    if (o.readOnly && !t.annotations.readOnlyHint) return false;
    // Only --tools given: those tools alone. Only --toolsets: those sets. Both: the union.
    if (!toolsets && !toolFilter) return true;
    if (toolFilter?.has(t.name)) return true;
    if (optIn(t)) return false;
    if (toolsets) return wantAllSets || !!setFilter?.has(t.toolset);
    return false;
  });
}

/** The selection the environment asks for (CELIGO_MANAGE_TOOLSETS, _TOOLS, _EXCLUDE_TOOLS, _READ_ONLY). */
export function selectionFromEnv(env: NodeJS.ProcessEnv = process.env): ToolSelection {
  const out: ToolSelection = {};
  const toolsets = envList(env, 'CELIGO_MANAGE_TOOLSETS');
  const tools = envList(env, 'CELIGO_MANAGE_TOOLS');
  const excludeTools = envList(env, 'CELIGO_MANAGE_EXCLUDE_TOOLS');
  const readOnly = envFlag(env, 'CELIGO_MANAGE_READ_ONLY');
  if (toolsets) out.toolsets = toolsets;
  if (tools) out.tools = tools;
  if (excludeTools) out.excludeTools = excludeTools;
  if (readOnly !== undefined) out.readOnly = readOnly;
  return out;
}

/** Flags win over the environment, field by field. */
export function mergeSelection(flags: ToolSelection, env: ToolSelection): ToolSelection {
  return {
    toolsets: clean(flags.toolsets) ?? env.toolsets,
    tools: clean(flags.tools) ?? env.tools,
    excludeTools: clean(flags.excludeTools) ?? env.excludeTools,
    readOnly: flags.readOnly ?? env.readOnly,
  };
}

/** Why a tool of the catalogue is not served under `o`: said to a model that calls it anyway. */
export function withheldReason(t: AnyTool, o: ToolSelection): string {
  if (o.readOnly && !t.annotations.readOnlyHint) {
    return `${t.name} changes the account, and this celigo-manage server runs read-only (--read-only or CELIGO_MANAGE_READ_ONLY), so it is not served; nothing was changed. Tell the person what you would change; to make changes they must restart the server without --read-only.`;
  }
  return `${t.name} is not served by this celigo-manage server (its --toolsets, --tools or --exclude-tools leave it out); nothing was done. It is in the "${t.toolset}" toolset: the person running the server can add it with --toolsets ${t.toolset} or --tools ${t.name}.`;
}
