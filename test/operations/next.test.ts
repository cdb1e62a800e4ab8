// Next steps are data; each front end writes them once: a tool call the server serves, or a command line
// that carries --demo and --profile.
import { describe, expect, it } from 'vitest';
import { operationMap } from '../../src/operations/index.js';
import { commandLine, nextForModel, nextForTerminal } from '../../src/operations/next.js';

const ops = operationMap();

describe('next steps', () => {
  it('become command lines from the operation table', () => {
    expect(commandLine({ op: 'test_connection', args: { connection: 'c1' } }, ops)).toBe('celigo-manage connections test c1');
    expect(commandLine({ op: 'update_flow', args: { flow: 'f1', enabled: true } }, ops)).toBe('celigo-manage flows enable f1');
    expect(commandLine({ op: 'update_flow', args: { flow: 'f1', enabled: false } }, ops)).toBe('celigo-manage flows disable f1');
    expect(commandLine({ op: 'restore_backup', args: { id: 'bk-1' } }, ops, { demo: true })).toBe('celigo-manage --demo backups restore bk-1');
    expect(commandLine({ op: 'list_flows', args: { integration: 'Shopify - NetSuite Orders' } }, ops, { profile: 'prod' })).toBe('celigo-manage --profile prod flows list --integration "Shopify - NetSuite Orders"');
    expect(commandLine({ op: 'no_such_tool' }, ops)).toBeUndefined();
  });

  it('become tool calls only when the tool is served', () => {
    const steps = [{ op: 'get_job', args: { job: 'j1' }, why: 'the counts' }, { op: 'troubleshoot', args: { job: 'j1' } }];
    expect(nextForModel(steps, (t) => t === 'get_job')).toEqual(['- get_job {"job":"j1"}: the counts']);
    expect(nextForModel(steps)).toHaveLength(2);
    expect(nextForTerminal(steps, ops)[0]).toBe('celigo-manage jobs get j1   # the counts');
  });
});
