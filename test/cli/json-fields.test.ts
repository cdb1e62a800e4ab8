// The --json fields of every list command are part of the interface: pinned here, so a change is a
// deliberate one. An unknown field fails with exit 1 and lists the valid ones.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';

const LISTS: Record<string, string[]> = {
  'integrations list': ['id', 'name', 'status', 'version', 'flows', 'enabledFlows', 'openErrors', 'tag'],
  'flows list': ['id', 'name', 'integration', 'integrationId', 'enabled', 'schedule', 'lastRun', 'openErrors'],
  'connections list': ['id', 'name', 'type', 'status', 'offline'],
  'jobs list': ['id', 'type', 'status', 'flow', 'flowId', 'integrationId', 'createdAt', 'startedAt', 'endedAt', 'durationMs', 'success', 'errors', 'openErrors', 'ignored'],
  'errors list --flow "Salesforce Accounts to NetSuite Customers"': ['flow', 'flowId', 'stepId', 'step', 'errorId', 'occurredAt', 'code', 'message', 'source', 'retryDataKey', 'jobId'],
  'exports list': ['id', 'name', 'adaptorType', 'connection', 'flow', 'status', 'schedule'],
  'imports list': ['id', 'name', 'adaptorType', 'connection', 'mappingFormat', 'mappedFields'],
  'mapping show "Salesforce Accounts to NetSuite Customers"': ['generate', 'extract', 'hardCodedValue', 'dataType', 'value', 'missing'],
  'tags list': ['kind', 'tag', 'integrations', 'id'],
  'backups list': ['id', 'createdAt', 'reason', 'applied', 'targets', 'items', 'created'],
  'profiles list': ['name', 'current', 'region', 'baseUrl', 'tokenEnv', 'token', 'production', 'timeZone', 'description'],
};

function argv(cmd: string): string[] {
  return [...cmd.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

describe('--json fields', () => {
  it.each(Object.entries(LISTS))('%s: unknown field lists exactly the pinned fields', async (cmd, fields) => {
    const r = await run(['--demo', ...argv(cmd), '--json', 'id,noSuchField']);
    expect(r.code).toBe(1);
    const err = JSON.parse(r.stderr).error;
    expect(err.type).toBe('usage');
    expect(err.message).toContain('noSuchField');
    expect(err.message.replace(/.*Valid fields: /, '').replace(/\.$/, '').split(', ')).toEqual(fields);
  });

  it('--json with fields keeps exactly those keys, in order, null when absent', async () => {
    const r = await run(['--demo', 'flows', 'list', '--json', 'schedule,name,lastRun']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    for (const row of rows) expect(Object.keys(row)).toEqual(['schedule', 'name', 'lastRun']);
    expect(rows.some((x) => x.lastRun === null)).toBe(true);
  });

  it('--json before the command is the bare flag, not a field list', async () => {
    const r = await run(['--json', 'tags', 'list', '--demo']);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout)[0])).toEqual(['kind', 'tag', 'integrations']);
  });

  it('objects pin fields too: unknown ones are listed', async () => {
    const r = await run(['--demo', 'flows', 'get', 'Shopify Customers to NetSuite', '--json', 'nope']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.message).toMatch(/Valid fields: id, name, .*steps/);
  });
});

describe('--json fields after a change', () => {
  it('a typo does not turn a change that happened into an error: warning, exit 0', async () => {
    const r = await run(['--demo', 'flows', 'disable', 'Shopify Customers to NetSuite', '--json', 'enabled,typo']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ enabled: false, typo: null });
    expect(r.stderr).toContain('Warning: Unknown field for --json: typo.');
  });

  it('a list checks its fields before calling the API', async () => {
    // No token and no --demo: the field check fails first (exit 1, about the field, not the token).
    const r = await run(['flows', 'list', '--json', 'bogus']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unknown field for --json: bogus');
  });
});
