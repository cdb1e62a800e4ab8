// Tags: the integration tags in use (Celigo keeps ONE `tag` per integration) and, apart, the error tags of
// /tags. Tagging an integration is an integrations operation (add_tag_to_integration).
import { listTags, type TagsReport } from '../ops/tags.js';
import { READ, tsv } from './format.js';
import { defineOperation, type Operation, type Terminal } from './types.js';

/** Rows of each list in one result: keeps it well under 25,000 characters on any account. */
const MAX_ROWS = 100;
/** Rows of each list on a terminal; --json gives all. */
const TERMINAL_ROWS = 50;

/** `kind` is "integration" (an integration's one `tag`, with how many carry it) or "error" (an error tag of /tags). */
export const TAG_FIELDS = ['kind', 'tag', 'integrations', 'id'] as const;

function tagsForTerminal(r: TagsReport, t: Terminal): void {
  t.expectFields(TAG_FIELDS);
  if (t.jsonMode || !t.isTTY) {
    const rows = [
      ...r.integrationTags.map((x) => ({ kind: 'integration', tag: x.tag, integrations: x.integrations })),
      ...r.errorTags.map((x) => ({ kind: 'error', tag: x.tag, id: x.id })),
    ];
    t.list(rows, { noun: 'tags', fields: TAG_FIELDS });
    return;
  }
  const { c } = t;
  const more = (shown: number, total: number) => (shown < total ? c.dim(` (showing ${shown}; use --json for all)`) : '');
  const tagged = r.totalIntegrations - r.untaggedIntegrations;
  const it = r.integrationTags.slice(0, TERMINAL_ROWS);
  const et = r.errorTags.slice(0, TERMINAL_ROWS);
  t.print(
    [
      c.bold('Integration tags') + c.dim(` (Celigo keeps one per integration; ${tagged} of ${r.totalIntegrations} integrations tagged)`) + more(it.length, r.integrationTags.length),
      it.length ? t.table(it, ['tag', 'integrations']) : c.dim('No integration has a tag.'),
      '',
      c.bold('Error tags') + c.dim(' (/tags: labels for errors, not integrations)') + more(et.length, r.errorTags.length),
      et.length ? t.table(et, ['tag', 'id']) : c.dim('No error tags.'),
    ].join('\n'),
  );
}

export const tagOperations: Operation[] = [
  defineOperation({
    name: 'list_tags',
    toolset: 'tags',
    title: 'List tags',
    description: 'Integration tags with counts, and error tags.',
    input: {},
    annotations: READ,
    cli: {
      noun: 'tags',
      verb: 'list',
      summary: 'List the integration tags in use (with how many integrations carry each) and, apart, the error tags',
      details:
        'Celigo keeps ONE tag per integration (set it with: integrations tag). The error tags of /tags are labels for errors, not integrations. ' +
        'Piped or with --json, one row per tag with kind "integration" or "error".',
      examples: ['tags list', 'tags list --json kind,tag,integrations'],
    },
    run: (ctx) => listTags(ctx),
    forModel(r) {
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
    forTerminal: tagsForTerminal,
  }),
];
