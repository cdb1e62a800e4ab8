import { defineTool, type ToolDef } from './types.js';
import { READ, tsv } from './format.js';
const tagsOps = () => import('../ops/tags.js');

/** Rows of each list in one result: keeps it well under 25,000 characters on any account. */
const MAX_ROWS = 100;

export const tagReadTools: ToolDef[] = [
  defineTool({
    name: 'list_tags',
    toolset: 'tags',
    title: 'List tags',
    description: 'Integration tags with counts; error tags separately.',
    input: {},
    annotations: READ,
    handler: async (_a, ctx) => {
      const r = await (await tagsOps()).listTags(ctx);
      const it = r.integrationTags.slice(0, MAX_ROWS);
      const et = r.errorTags.slice(0, MAX_ROWS);
      const tagged = r.totalIntegrations - r.untaggedIntegrations;
      const shown = (n: number, total: number) => (n < total ? ` (showing ${n} of ${total})` : '');
      const text = [
        `Integration tags (Celigo keeps ONE tag per integration; ${tagged} of ${r.totalIntegrations} integrations tagged): ${r.integrationTags.length}${shown(it.length, r.integrationTags.length)}`,
        ...(it.length ? [tsv(it, ['tag', 'integrations'])] : []),
        '',
        `Error tags (/tags: labels for errors, NOT integrations): ${r.errorTags.length}${shown(et.length, r.errorTags.length)}`,
        ...(et.length ? [tsv(et, ['tag', 'id'])] : []),
      ].join('\n');
      return {
        text,
        structured: {
          integrationTags: it,
          integrationTagsTotal: r.integrationTags.length,
          totalIntegrations: r.totalIntegrations,
          untaggedIntegrations: r.untaggedIntegrations,
          errorTags: et,
          errorTagsTotal: r.errorTags.length,
          truncated: it.length < r.integrationTags.length || et.length < r.errorTags.length,
        },
      };
    },
  }),
] as unknown as ToolDef[];
