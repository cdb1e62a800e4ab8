// The tags toolset on the demo account: list_tags keeps integration tags and error tags apart;
// add_tag_to_integration says which tag it replaced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const tool = (name: string) => catalogue().find((t) => t.name === name)!;

describe('tags tools', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('the descriptions say Celigo keeps one tag per integration', () => {
    expect(tool('add_tag_to_integration').description).toMatch(/ONE tag per integration: replacing any existing tag/);
    expect(tool('list_tags').description).toMatch(/error tags/i);
  });

  it('list_tags: integration tags with counts, then the error tags, clearly labelled, in text and structured', async () => {
    const r = await tool('list_tags').handler({}, env.ctx);
    expect(r.text).toBe(
      [
        'Integration tags (Celigo keeps ONE tag per integration; 5 of 7 integrations tagged): 3',
        'tag\tintegrations',
        'critical\t2',
        'nightly\t2',
        'finance\t1',
        '',
        'Error tags (/tags: labels for errors, NOT integrations): 4',
        'tag\tid',
        ...r.text.split('\n').slice(-4),
      ].join('\n'),
    );
    expect(r.text.split('\n').slice(-4).map((l) => l.split('\t')[0])).toEqual([...DEMO.errorTags]);
    expect(r.structured).toMatchObject({
      integrationTags: [{ tag: 'critical', integrations: 2 }, { tag: 'nightly', integrations: 2 }, { tag: 'finance', integrations: 1 }],
      integrationTagsTotal: 3,
      totalIntegrations: 7,
      untaggedIntegrations: 2,
      errorTagsTotal: 4,
      truncated: false,
    });
    expect((r.structured!.errorTags as { tag: string }[]).map((t) => t.tag)).toEqual([...DEMO.errorTags]);
  });

  it('list_tags stays small on an account with many tags', async () => {
    for (let i = 0; i < 150; i++) {
      await env.api.tags.create({ tag: `error tag number ${i} with a fairly long label to fill the result` });
    }
    const r = await tool('list_tags').handler({}, env.ctx);
    expect(r.structured).toMatchObject({ errorTagsTotal: 154, truncated: true });
    expect((r.structured!.errorTags as unknown[]).length).toBe(100);
    expect(r.text).toContain('Error tags (/tags: labels for errors, NOT integrations): 154 (showing 100 of 154)');
    expect(r.text.length + JSON.stringify(r.structured).length).toBeLessThan(25_000);
  });

  it('add_tag_to_integration: reports the tag it replaced, in text and structured', async () => {
    const r = await tool('add_tag_to_integration').handler({ integration: DEMO.integrations.ftp, tag: 'warehouse' }, env.ctx);
    expect(r.text.split('\n')[0]).toBe(`Tagged "${DEMO.integrations.ftp}" with "warehouse" (replaced "nightly": Celigo keeps one tag per integration).`);
    expect(r.structured).toMatchObject({ tag: 'warehouse', previousTag: 'nightly', changed: true, backupId: expect.stringMatching(/^bk-/) });
    const list = await tool('list_integrations').handler({ tag: 'warehouse' }, env.ctx);
    expect(list.text).toContain(DEMO.integrations.ftp);
  });

  it('add_tag_to_integration: a blank tag is an error that says how to remove one', async () => {
    await expect(tool('add_tag_to_integration').handler({ integration: DEMO.integrations.ftp, tag: ' ' }, env.ctx)).rejects.toThrow(/Give a tag.*does not clear the tag: removal must be asked for explicitly/);
  });
});
