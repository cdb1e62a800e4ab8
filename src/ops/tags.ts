// Tags. Celigo keeps ONE tag per integration, in the integration's own string field `tag` (celigo-api.md
// W5: its web app sets it with a JSON-Patch replace and clears it with a remove). The /tags collection is
// something else: the error-tag vocabulary, the labels people put on errors, not on integrations.
import type { OpContext } from './context.js';
import type { Integration } from '../core/schemas.js';

/** An integration's tag, or undefined when it has none (absent, or an empty string). */
export function tagOf(integration: Pick<Integration, 'tag'>): string | undefined {
  const t = integration.tag;
  return typeof t === 'string' && t.trim() !== '' ? t : undefined;
}

/** Whether the integration carries `tag` (compared case-insensitively, ignoring surrounding blanks). */
export function hasTag(integration: Pick<Integration, 'tag'>, tag: string): boolean {
  return tagOf(integration)?.trim().toLowerCase() === tag.trim().toLowerCase();
}

// Type aliases (not interfaces) so rows pass as plain records to table and TSV helpers.
export type IntegrationTagCount = {
  tag: string;
  /** How many integrations carry it. */
  integrations: number;
};

export type ErrorTagRow = {
  id: string;
  tag: string;
  tagId?: string;
};

export interface TagsReport {
  /** Integration tags in use, most used first. */
  integrationTags: IntegrationTagCount[];
  totalIntegrations: number;
  untaggedIntegrations: number;
  /** The /tags vocabulary: labels for errors, not integrations. */
  errorTags: ErrorTagRow[];
}

/** Integration tags in use with how many integrations carry each (from GET /integrations), and the error tags of /tags. */
export async function listTags(ctx: OpContext): Promise<TagsReport> {
  const { api, signal } = ctx;
  const [integrations, errorTags] = await Promise.all([api.integrations.list({}, { signal }), api.tags.list({}, { signal })]);
  const counts = new Map<string, number>();
  for (const i of integrations) {
    const t = tagOf(i);
    if (t !== undefined) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const integrationTags = [...counts].map(([tag, n]) => ({ tag, integrations: n })).sort((a, b) => b.integrations - a.integrations || a.tag.localeCompare(b.tag));
  const tagged = integrationTags.reduce((n, t) => n + t.integrations, 0);
  return {
    integrationTags,
    totalIntegrations: integrations.length,
    untaggedIntegrations: integrations.length - tagged,
    errorTags: errorTags.map((t) => ({ id: t._id, tag: t.tag, ...(typeof t.tagId === 'string' ? { tagId: t.tagId } : {}) })),
  };
}
