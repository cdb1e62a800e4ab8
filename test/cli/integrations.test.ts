// The integrations commands that take more than their tools (operations/terminal-input.ts): --no-errors,
// --connection, --remove and setup's --spec file; and setup's next steps written as command lines.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/operations/catalogue.js';
import { integrationCommandOperations } from '../../src/operations/integrations.js';
import { run, tempHome } from '../helpers/cli.js';

const specFile = (spec: unknown) => {
  const file = join(tempHome(), 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  return file;
};

describe('integrations commands wider than their tools', () => {
  it('the tools keep their own inputs; the commands add theirs', () => {
    const inputs = (ops: readonly { name: string; input: object }[]) => Object.fromEntries(ops.map((o) => [o.name, Object.keys(o.input)]));
    const tools = inputs(catalogue());
    expect(tools.list_integrations).toEqual(['name', 'tag', 'fields', 'limit', 'cursor']);
    expect(tools.clone_integration).toEqual(['integration', 'name']);
    expect(tools.add_tag_to_integration).toEqual(['integration', 'tag']);
    expect(tools.setup_integration).not.toContain('spec');
    const commands = inputs(integrationCommandOperations);
    expect(commands.list_integrations).toContain('errors');
    expect(commands.clone_integration).toContain('connection');
    expect(commands.add_tag_to_integration).toContain('remove');
    expect(commands.setup_integration).toContain('spec');
  });

  it('integrations list --no-errors leaves the open-error counts out', async () => {
    const r = await run(['--demo', 'integrations', 'list', '--no-errors']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('id\tname\tstatus\tflows\tenabledFlows\ttag');
    const all = await run(['--demo', 'integrations', 'list', '--json', 'openErrors']);
    expect((JSON.parse(all.stdout) as { openErrors: unknown }[]).every((row) => typeof row.openErrors === 'number')).toBe(true);
  });

  it('integrations setup needs --spec, a JSON object', async () => {
    const none = await run(['--demo', '--yes', 'integrations', 'setup']);
    expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('Give the spec with --spec FILE')]);
    const list = await run(['--demo', '--yes', 'integrations', 'setup', '--spec', specFile([1, 2])]);
    expect([list.code, list.stderr]).toEqual([1, expect.stringContaining('The setup spec must be a JSON object.')]);
    const typed = await run(['--demo', '--yes', 'integrations', 'setup', '--spec', specFile({ name: 'X', recordType: 'customer', source: { connection: 5 }, destination: {} })]);
    expect([typed.code, typed.stderr]).toEqual([1, expect.stringContaining('Invalid setup spec: source.connection')]);
  });

  it('a failed setup exits 1 and prints the command that resumes it', async () => {
    const spec = { name: 'Orders to NetSuite', recordType: 'orders', source: { connection: 'Shopify - acme-store', relativeURI: '/admin/api/2024-01/orders.json', settings: { adaptorType: 'NoSuchExport' } }, destination: { connection: 'NetSuite Production' } };
    const r = await run(['--demo', '--yes', 'integrations', 'setup', '--spec', specFile(spec)], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ Setup stopped at the export step');
    const next = r.stdout.split('\n').find((l) => l.includes('integrations setup --resume'));
    expect(next).toMatch(/^ {2}celigo-manage --demo integrations setup --resume "\{\\"backupId\\":\\"bk-.*# after fixing the export problem, with the same spec plus this resume$/);

    const json = await run(['--demo', '--yes', '--json', 'integrations', 'setup', '--spec', specFile(spec), '--enable']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ status: 'failed', outcome: 'failed', next: [{ op: 'setup_integration', args: { resume: report.resume } }, { op: 'restore_backup', args: { id: report.backupId } }] });

    // --resume goes over the spec: an id that does not exist stops the setup at its step.
    const resumed = await run(['--demo', '--yes', '--json', 'integrations', 'setup', '--spec', specFile(spec), '--resume', '{"sourceConnectionId":"665f0000000000000000dead"}']);
    expect(resumed.code).toBe(1);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ failedStep: 'source connection', resume: { sourceConnectionId: '665f0000000000000000dead' } });
  });
});
