import { defineTool, type ToolDef } from './types.js';
import { listResult, READ } from './format.js';
const tagsOps = () => import('../ops/tags.js');

export const tagReadTools: ToolDef[] = [
  defineTool({
    name: 'list_tags',
    toolset: 'tags',
    title: 'List tags',
    description: 'Tags and how many integrations carry each.',
    input: {},
    annotations: READ,
    handler: async (_a, ctx) => {
      const [tags, map] = await Promise.all([ctx.api.tags.list({}, { signal: ctx.signal }), (await tagsOps()).readTagMap(ctx.api, ctx.signal)]);
      const rows = tags.map((t) => ({ id: t._id, tag: t.tag, integrations: Object.values(map).filter((ids) => ids.includes(t._id)).length }));
      return listResult('tags', rows, { limit: 500 }, ['id', 'tag', 'integrations']);
    },
  }),
] as unknown as ToolDef[];
