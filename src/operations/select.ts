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
 * The toolsets served when none are asked for: every basic operation. The workflow and backup tools
 * are one flag away (`--toolsets default,workflows,backups` or `all`); leaving them out of the default
 * keeps the default tools/list under 12 kB (docs/benchmarks.md), a cost every conversation pays.
 */
export const DEFAULT_TOOLSETS: readonly string[] = ['integrations', 'flows', 'connections', 'jobs', 'errors', 'exports', 'tags'];

/**
 * Filters the catalogue. With neither `toolsets` nor `tools`, the DEFAULT_TOOLSETS are kept.
 * `default` in `toolsets` stands for DEFAULT_TOOLSETS and `all` for every toolset.
 * With both, a tool is kept when its toolset or its name was asked for.
 * Unknown toolset or tool names are a UsageError that lists the valid ones.
 */
export function selectTools<T extends AnyTool>(all: readonly T[], o: ToolSelection = {}): T[] {
  const names = new Set(all.map((t) => t.name));
  const tools = clean(o.tools);
  const asked = clean(o.toolsets);
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
