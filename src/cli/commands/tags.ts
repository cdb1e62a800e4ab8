import type { NounSpec } from '../spec.js';
import { LIMIT } from '../spec.js';
import { limitOf } from './common.js';

export const TAG_FIELDS = ['id', 'tag', 'integrations'] as const;

export const tags: NounSpec = {
  name: 'tags',
  verbs: [
    {
      name: 'list',
      summary: 'List tags and how many integrations carry each',
      options: [LIMIT],
      examples: ['tags list', 'tags list --json tag,integrations'],
      async run(rc) {
        rc.out.expectFields(TAG_FIELDS);
        const { readTagMap } = await import('../../ops/tags.js');
        const ctx = await rc.ctx();
        const [list, map] = await Promise.all([ctx.api.tags.list({}, { signal: ctx.signal }), readTagMap(ctx.api, ctx.signal)]);
        const rows = list.map((t) => ({ id: t._id, tag: t.tag, integrations: Object.values(map).filter((ids) => ids.includes(t._id)).length }));
        rc.out.list(rows, { noun: 'tags', fields: TAG_FIELDS, limit: limitOf(rc) });
      },
    },
  ],
};
