import type { NounSpec } from '../spec.js';
import { LIMIT } from '../spec.js';
import { limitOf } from './common.js';

/** `kind` is "integration" (an integration's one `tag`, with how many carry it) or "error" (an error tag of /tags). */
export const TAG_FIELDS = ['kind', 'tag', 'integrations', 'id'] as const;

export const tags: NounSpec = {
  name: 'tags',
  verbs: [
    {
      name: 'list',
      summary: 'List the integration tags in use (with how many integrations carry each) and, apart, the error tags',
      options: [LIMIT],
      details:
        'Celigo keeps ONE tag per integration (set it with: integrations tag). The error tags of /tags are labels for errors, not integrations. ' +
        'Piped or with --json, one row per tag with kind "integration" or "error".',
      examples: ['tags list', 'tags list --json kind,tag,integrations'],
      async run(rc) {
        rc.out.expectFields(TAG_FIELDS);
        const { listTags } = await import('../../ops/tags.js');
        const r = await listTags(await rc.ctx());
        const limit = limitOf(rc);
        if (rc.out.jsonMode || !rc.out.io.isTTY) {
          const rows = [
            ...r.integrationTags.map((t) => ({ kind: 'integration', tag: t.tag, integrations: t.integrations })),
            ...r.errorTags.map((t) => ({ kind: 'error', tag: t.tag, id: t.id })),
          ];
          rc.out.list(rows, { noun: 'tags', fields: TAG_FIELDS, limit });
          return;
        }
        const { c } = rc.out;
        const cut = <T>(rows: T[]) => (limit !== undefined ? rows.slice(0, Math.max(0, limit)) : rows.slice(0, 50));
        const more = (shown: number, total: number) => (shown < total ? c.dim(` (showing ${shown}; use --limit or --json for all)`) : '');
        const tagged = r.totalIntegrations - r.untaggedIntegrations;
        const it = cut(r.integrationTags);
        const et = cut(r.errorTags);
        rc.out.print(
          [
            c.bold('Integration tags') + c.dim(` (Celigo keeps one per integration; ${tagged} of ${r.totalIntegrations} integrations tagged)`) + more(it.length, r.integrationTags.length),
            it.length ? rc.out.table(it, ['tag', 'integrations']) : c.dim('No integration has a tag.'),
            '',
            c.bold('Error tags') + c.dim(' (/tags: labels for errors, not integrations)') + more(et.length, r.errorTags.length),
            et.length ? rc.out.table(et, ['tag', 'id']) : c.dim('No error tags.'),
          ].join('\n'),
        );
      },
    },
  ],
};
