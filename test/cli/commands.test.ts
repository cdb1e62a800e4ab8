// Every noun against the embedded demo account, in-process, with a fake terminal on and off.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANSI, run, tempHome } from '../helpers/cli.js';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';

const FLOW = 'Shopify Customers to NetSuite';
const FAILING_FLOW = 'Salesforce Accounts to NetSuite Customers';
const INTEGRATION = 'Shopify - NetSuite Orders';

describe('commands against --demo', () => {
  it('flows list: TSV when piped, a table with a header on a terminal', async () => {
    const piped = await run(['--demo', 'flows', 'list']);
    expect(piped.code).toBe(0);
    const lines = piped.stdout.trim().split('\n');
    expect(lines[0]).toBe('id\tname\tintegration\tenabled\tschedule\tlastRun\topenErrors');
    expect(lines.length).toBeGreaterThan(10);
    expect(piped.stdout).not.toMatch(ANSI);
    expect(piped.stderr).toBe('');

    const tty = await run(['--demo', 'flows', 'list', '--limit', '5'], { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/Showing 5 of \d+ flows/);
    expect(tty.stdout).toMatch(ANSI);
    expect(tty.stdout).toContain('NAME');
  });

  it('integrations list/get, --json field pinning', async () => {
    const list = await run(['--demo', 'integrations', 'list', '--json', 'name,openErrors']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { name: string; openErrors: number }[];
    expect(rows.map((r) => Object.keys(r))).toContainEqual(['name', 'openErrors']);
    expect(rows.find((r) => r.name === INTEGRATION)).toBeTruthy();
    const get = await run(['--demo', 'integrations', 'get', INTEGRATION], { tty: true, env: { NO_COLOR: '1' } });
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^id\s+665f/m);
    expect(get.stdout).toContain(`flows (`);
  });

  it('a mutating command with --yes works without a terminal; create/clone/tag', async () => {
    const created = await run(['--demo', '--yes', 'integrations', 'create', 'CLI test integration', '--json', 'id,name,backupId']);
    expect(created.code).toBe(0);
    const r = JSON.parse(created.stdout);
    expect(r.name).toBe('CLI test integration');
    expect(r.backupId).toMatch(/^bk-/);
    const tagged = await run(['--demo', 'integrations', 'tag', INTEGRATION, 'weekly', '--yes'], { tty: true, env: { NO_COLOR: '1' } });
    expect(tagged.code).toBe(0);
    expect(tagged.stdout).toContain('Tagged "Shopify - NetSuite Orders" with "weekly" (replaced "critical": Celigo keeps one tag per integration).');
    const removed = await run(['--demo', 'integrations', 'tag', INTEGRATION, '--remove', '--yes', '--json', 'tag,previousTag,changed']);
    expect([removed.code, JSON.parse(removed.stdout)]).toEqual([0, { tag: null, previousTag: 'critical', changed: true }]);
    const blank = await run(['--demo', 'integrations', 'tag', INTEGRATION, ' ', '--yes']);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('A blank tag does not clear the tag');
    const cloned = await run(['--demo', 'integrations', 'clone', INTEGRATION, 'Copy of orders', '--yes', '--json', 'name,flows']);
    expect(cloned.code).toBe(0);
    expect(JSON.parse(cloned.stdout)).toEqual({ name: 'Copy of orders', flows: 5 });
  });

  it('integrations clone --connection source=target makes the copy use another connection', async () => {
    const cloned = await run(['--demo', '--yes', 'integrations', 'clone', 'HubSpot - Salesforce Leads', 'Leads (second org)', '--connection', 'Salesforce Production=Salesforce - Integration User', '--json', 'created,connectionMap']);
    expect(cloned.code).toBe(0);
    const r = JSON.parse(cloned.stdout);
    expect(r.created).toMatchObject({ Integration: 1, Flow: 2 });
    expect(new Set(Object.values(r.connectionMap)).size).toBe(2);
    expect(Object.entries(r.connectionMap).filter(([from, to]) => from !== to)).toHaveLength(1);
    const tty = await run(['--demo', '--yes', 'integrations', 'clone', 'HubSpot - Salesforce Leads', 'Leads (copy)'], { tty: true, env: { NO_COLOR: '1' } });
    expect(tty.stdout).toMatch(/Cloned as "Leads \(copy\)" \(665f[0-9a-f]+\): 1 integration, 2 flows, \d+ exports, \d+ imports\. Backup bk-/);
    const bad = await run(['--demo', '--yes', 'integrations', 'clone', 'HubSpot - Salesforce Leads', 'X', '--connection', 'HubSpot']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--connection takes source=target');
  });

  it('destructive work without --yes and without a terminal is refused (exit 2)', async () => {
    const r = await run(['--demo', 'errors', 'clear', '--flow', FAILING_FLOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs confirmation and there is no terminal to ask.*--yes/);
    expect(r.stdout).toBe('');
  });

  it('flows get / update / disable / enable', async () => {
    const get = await run(['--demo', 'flows', 'get', FLOW, '--json', 'name,steps']);
    expect(get.code).toBe(0);
    const f = JSON.parse(get.stdout);
    expect(f.name).toBe(FLOW);
    expect(f.steps.length).toBeGreaterThan(1);
    const upd = await run(['--demo', 'flows', 'update', FLOW, '--schedule', '0 3 * * *', '--json', 'changed,schedule']);
    expect(upd.code).toBe(0);
    expect(JSON.parse(upd.stdout)).toMatchObject({ schedule: '? 0 3 ? * *' });
    const dis = await run(['--demo', 'flows', 'disable', FLOW], { tty: true, env: { NO_COLOR: '1' } });
    expect(dis.code).toBe(0);
    expect(dis.stdout).toContain(`Disabled flow "${FLOW}"`);
    const none = await run(['--demo', 'flows', 'update', FLOW]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Nothing to change');
  });

  it('flows run --wait reports the finished job', async () => {
    const r = await run(['--demo', 'flows', 'run', FLOW, '--wait', '--json', 'status,counts,jobId']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('completed');
    expect(j.counts.exported).toBeGreaterThan(0);
  });

  it('flows monitor runs and follows a flow or one export; flows using lists what uses a resource', async () => {
    const m = await run(['--demo', 'flows', 'monitor', '--export', 'Get Shopify customers', '--json', 'status,flowName']);
    expect([m.code, JSON.parse(m.stdout)]).toEqual([0, { status: 'completed', flowName: FLOW }]);
    const none = await run(['--demo', 'flows', 'monitor']);
    expect(none.code).toBe(1);
    const u = await run(['--demo', 'flows', 'using', 'connection', 'Stripe', '--json', 'inUse,enabledFlows']);
    expect([u.code, JSON.parse(u.stdout)]).toEqual([0, { inUse: true, enabledFlows: 2 }]);
  });

  it('connections list / get / test (a failing test exits 1) / create', async () => {
    const list = await run(['--demo', 'connections', 'list', '--json', 'name,status']);
    expect(list.code).toBe(0);
    const conns = JSON.parse(list.stdout) as { name: string }[];
    expect(conns.length).toBeGreaterThan(3);
    const get = await run(['--demo', 'connections', 'get', 'Salesforce - Integration User', '--json']);
    expect(get.code).toBe(0);
    expect(get.stdout).not.toContain('******');
    expect(JSON.parse(get.stdout).secretsHidden.length).toBeGreaterThan(0);
    const ok = await run(['--demo', 'connections', 'test', 'NetSuite Production', '--json', 'healthy']);
    expect(JSON.parse(ok.stdout)).toEqual({ healthy: true });
    const bad = await run(['--demo', 'connections', 'test', 'Salesforce - Integration User'], { tty: true, env: { NO_COLOR: '1' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('failed the test');
    const created = await run(['--demo', 'connections', 'create', 'Orders API', '--type', 'http', '--set', 'http.baseURI=https://api.example.com', '--set', 'http.mediaType=json', '--no-test', '--json', 'name,type']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({ name: 'Orders API', type: 'http' });
    const secret = await run(['--demo', 'connections', 'create', 'X', '--type', 'http', '--set', 'http.auth.token.token=abc']);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain('--config');
  });

  it('jobs list / get / retry', async () => {
    const list = await run(['--demo', 'jobs', 'list', '--status', 'failed', '--range', 'last 7 days', '--json', 'id,status']);
    expect(list.code).toBe(0);
    const jobs = JSON.parse(list.stdout) as { id: string; status: string }[];
    expect(jobs.length).toBeGreaterThan(0);
    expect(new Set(jobs.map((j) => j.status))).toEqual(new Set(['failed']));
    const get = await run(['--demo', 'jobs', 'get', jobs[0].id, '--json', 'id,status,errors']);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ id: jobs[0].id, status: 'failed' });
    // --force: a failed job's errors may wait on a connection that fails its test (they are left out without it).
    const retry = await run(['--demo', 'jobs', 'retry', jobs[0].id, '--force', '--json', 'retried,matched']);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout).matched).toBeGreaterThanOrEqual(0);
  });

  it('errors list / retry / clear', async () => {
    const list = await run(['--demo', 'errors', 'list', '--flow', FAILING_FLOW, '--json', 'errorId,code']);
    expect(list.code).toBe(0);
    const errs = JSON.parse(list.stdout) as { errorId: string; code: string }[];
    expect(errs.length).toBeGreaterThan(0);
    // Its errors are INVALID_LOGIN of a connection that fails its test: left out (nothing retried, exit 1) unless --force.
    const held = await run(['--demo', 'errors', 'retry', '--flow', FAILING_FLOW, '--yes', '--json', 'retried,connectionProblems']);
    expect(held.code).toBe(1);
    expect(JSON.parse(held.stdout)).toMatchObject({ retried: 0, connectionProblems: [{ name: 'Salesforce - Integration User', errors: errs.length, heldBack: true }] });
    const retry = await run(['--demo', 'errors', 'retry', '--flow', FAILING_FLOW, '--force', '--yes', '--json', 'retried']);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout).retried).toBe(errs.length);
    const cleared = await run(['--demo', 'errors', 'clear', '--flow', FAILING_FLOW, '--pattern', 'INVALID_LOGIN', '--yes', '--json', 'cleared,matched']);
    expect(cleared.code).toBe(0);
    const c = JSON.parse(cleared.stdout);
    expect(c.cleared).toBe(c.matched);
    const noScope = await run(['--demo', 'errors', 'list']);
    expect(noScope.code).toBe(1);
  });

  it('exports list / run, imports list / get', async () => {
    const ex = await run(['--demo', 'exports', 'list', '--json', 'name,flow']);
    expect(ex.code).toBe(0);
    expect(JSON.parse(ex.stdout).length).toBeGreaterThan(5);
    const runEx = await run(['--demo', 'exports', 'run', 'Get Shopify customers', '--json', 'status,flowName']);
    expect(runEx.code).toBe(0);
    expect(JSON.parse(runEx.stdout)).toEqual({ status: 'completed', flowName: FLOW });
    const im = await run(['--demo', 'imports', 'list']);
    expect(im.code).toBe(0);
    expect(im.stdout.split('\n')[0]).toBe('id\tname\tadaptorType\tconnection\tmappingFormat\tmappedFields');
    const get = await run(['--demo', 'imports', 'get', 'Create NetSuite sales orders', '--json', 'name,adaptorType']);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout).name).toContain('Create NetSuite sales orders');
  });

  it('mapping show / update (dry run and real)', async () => {
    const show = await run(['--demo', 'mapping', 'show', FAILING_FLOW, '--json', 'generate,extract']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toContainEqual({ generate: 'companyname', extract: 'Name' });
    const dry = await run(['--demo', 'mapping', 'update', FAILING_FLOW, '--add', 'email=Email', '--dry-run', '--json', 'dryRun,written']);
    expect(JSON.parse(dry.stdout)).toEqual({ dryRun: true, written: false });
    const real = await run(['--demo', 'mapping', 'update', FAILING_FLOW, '--add', 'email=Email', '--add', 'subsidiary="1"', '--json', 'written,verified,applied']);
    expect(real.code).toBe(0);
    const r = JSON.parse(real.stdout);
    expect(r).toMatchObject({ written: true, verified: true });
    expect(r.applied).toHaveLength(2);
    const bad = await run(['--demo', 'mapping', 'update', FAILING_FLOW, '--add', 'nonsense']);
    expect(bad.code).toBe(1);
    // --changes takes the JSON itself (as the next steps write it) as well as a file.
    const inline = await run(['--demo', 'mapping', 'update', FAILING_FLOW, '--changes', '{"op":"add","generate":"email","extract":"Email"}', '--changes', '[{"op":"remove","generate":"phone"}]', '--dry-run', '--json', 'applied']);
    expect(JSON.parse(inline.stdout).applied).toEqual([{ op: 'add', generate: 'email', after: 'Email' }, { op: 'remove', generate: 'phone', before: 'Phone' }]);
  });

  it('tags list: integration tags with counts, and the error tags apart', async () => {
    const r = await run(['--demo', 'tags', 'list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { kind: string; tag: string; integrations?: number; id?: string }[];
    expect(rows.filter((t) => t.kind === 'integration')).toEqual([
      { kind: 'integration', tag: 'critical', integrations: 2 },
      { kind: 'integration', tag: 'nightly', integrations: 2 },
      { kind: 'integration', tag: 'finance', integrations: 1 },
    ]);
    expect(rows.filter((t) => t.kind === 'error').map((t) => t.tag)).toEqual(['investigating', 'known issue', 'waiting on vendor', 'needs data fix']);
    const tty = await run(['--demo', 'tags', 'list'], { tty: true, env: { NO_COLOR: '1' } });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain('Integration tags (Celigo keeps one per integration; 5 of 7 integrations tagged)');
    expect(tty.stdout).toContain('Error tags (/tags: labels for errors, not integrations)');
    expect(tty.stdout.indexOf('critical')).toBeLessThan(tty.stdout.indexOf('Error tags'));
    expect(tty.stdout.indexOf('investigating')).toBeGreaterThan(tty.stdout.indexOf('Error tags'));
  });

  it('health prints the summary first, then the verdict table', async () => {
    const r = await run(['--demo', 'health'], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Health: last 24 hours/);
    const summaryAt = lines.findIndex((l) => /\d+ failing.*\d+ degraded.*\d+ healthy[.;]/.test(l));
    const tableAt = lines.findIndex((l) => /^INTEGRATION\s+VERDICT/.test(l));
    expect(summaryAt).toBeGreaterThan(0);
    expect(tableAt).toBeGreaterThan(summaryAt);
    expect(r.stdout).toMatch(/Salesforce - NetSuite Customers\s+failing/);
    expect(r.stdout).toContain('\nNext\n  celigo-manage --demo troubleshoot --integration "Salesforce - NetSuite Customers"   # failing\n');
    const failOn = await run(['--demo', 'health', '--fail-on', 'failing', '--no-connections', '--json', 'verdicts']);
    expect(failOn.code).toBe(1);
    expect(JSON.parse(failOn.stdout).verdicts.failing).toBeGreaterThan(0);
  });

  it('health --html writes a self-contained page', async () => {
    const home = tempHome();
    const file = join(home, 'health.html');
    const r = await run(['--demo', 'health', '--html', file, '--json', 'summary']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`HTML report written to ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-chart="success-rate"');
    expect(html).toMatch(/data-chart="error-patterns" data-points="[1-9]/);
    expect(html).not.toMatch(/(src|href)=/);
  });

  it('troubleshoot finds the likely cause', async () => {
    const r = await run(['--demo', 'troubleshoot', '--flow', 'Zendesk Users to Salesforce Contacts'], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Likely cause: mapping or missing field');
    expect(r.stdout).toContain('Changed just before the errors');
    expect(r.stdout).toContain("Fix: Check the import's mapping against a sample record (a dry run of the mapping change), map or default the missing field, then retry the errors.");
    expect(r.stdout).not.toMatch(/\b(update_mapping|retry_failed_jobs|test_connection)\b/);
    // The next steps are data (the operations to run); the terminal writes each as its command line.
    const next = await run(['--demo', 'troubleshoot', '--flow', 'Zendesk Users to Salesforce Contacts', '--json', 'next']);
    const steps = JSON.parse(next.stdout).next as { op: string; args: Record<string, unknown> }[];
    expect(steps.map((s) => s.op)).toEqual(['get_import', 'update_mapping', 'retry_failed_jobs']);
    expect(steps[1].args).toMatchObject({ import: steps[0].args.import, dryRun: true });
    const bare = await run(['--demo', 'troubleshoot', 'Salesforce - NetSuite Customers', '--json', 'target']);
    expect(JSON.parse(bare.stdout).target).toMatchObject({ type: 'integration' });
    const two = await run(['--demo', 'troubleshoot', '--flow', 'a', '--job', 'b']);
    expect(two.code).toBe(1);
  });

  it('troubleshoot names each connection of the failing steps once, with its steps', async () => {
    const r = await run(['--demo', 'troubleshoot', '--integration', 'Salesforce - NetSuite Customers'], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    const section = r.stdout.split('Connections of the failing steps\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(section).toHaveLength(2);
    // The steps in the order troubleshoot examined them (the largest patterns first): two named, the rest counted.
    expect(section[0]).toMatch(/^ {2}down {2}Salesforce - Integration User \(4 steps: export Get [^,]+, export Get [^,]+ and 2 more\): INVALID_LOGIN: Invalid username, password, security token; or user locked out\.$/);
    expect(section[1]).toBe('  ok    NetSuite Production (import Create NetSuite sales orders from opportunities)');
  });

  it('backups list / diff / restore (on an emulator that keeps its state; demo backups end with the command)', async () => {
    const home = tempHome();
    const demo = await run(['--demo', 'flows', 'update', FLOW, '--name', 'Renamed', '--json', 'backupId'], { env: { CELIGO_MANAGE_HOME: home } });
    expect(JSON.parse(demo.stdout).backupId).toBeTruthy();
    expect(JSON.parse((await run(['--demo', 'backups', 'list', '--json'], { env: { CELIGO_MANAGE_HOME: home } })).stdout)).toEqual([]);
    const emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
    try {
      const env = { CELIGO_MANAGE_HOME: home, CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN };
      const empty = await run(['backups', 'list', '--json'], { env });
      expect(JSON.parse(empty.stdout)).toEqual([]);
      const upd = await run(['flows', 'update', FLOW, '--name', 'Renamed', '--json', 'backupId'], { env });
      const id = JSON.parse(upd.stdout).backupId as string;
      const list = await run(['backups', 'list'], { env });
      expect(list.stdout).toContain(id);
      const diff = await run(['backups', 'diff', id, '--json', 'id,items'], { env });
      expect(diff.code).toBe(0);
      expect(JSON.parse(diff.stdout).id).toBe(id);
      const restore = await run(['backups', 'restore', id, '--yes'], { env });
      expect(restore.code).toBe(0);
      expect(JSON.parse((await run(['flows', 'get', FLOW, '--json', 'name'], { env })).stdout).name).toBe(FLOW);
    } finally {
      await emu.close();
    }
  });

  it('profiles list / add / use (no token ever printed)', async () => {
    const env = { CELIGO_MANAGE_HOME: tempHome(), PROD_TOKEN: 'prod-secret-token-123456' };
    const none = await run(['profiles', 'list'], { env });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('No profiles yet');
    const add = await run(['profiles', 'add', 'prod', '--region', 'eu', '--token-env', 'PROD_TOKEN', '--production'], { env });
    expect(add.code).toBe(0);
    const add2 = await run(['profiles', 'add', 'sandbox', '--region', 'na'], { env });
    expect(add2.code).toBe(0);
    const use = await run(['profiles', 'use', 'sandbox'], { env });
    expect(use.code).toBe(0);
    const list = await run(['profiles', 'list', '--json', 'name,current,production,token'], { env });
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'prod', current: false, production: true, token: 'from $PROD_TOKEN' },
      { name: 'sandbox', current: true, production: false, token: 'missing' },
    ]);
    expect(list.stdout + add.stdout).not.toContain('prod-secret-token-123456');
    const bad = await run(['profiles', 'use', 'nope'], { env });
    expect(bad.code).toBe(1);
    const badRegion = await run(['profiles', 'add', 'x', '--region', 'mars'], { env });
    expect(badRegion.code).toBe(1);
  });

  it('api: raw GET (paged) and a refused DELETE', async () => {
    const r = await run(['--demo', 'api', 'GET', '/integrations', '--json', '_id,name']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(3);
    const del = await run(['--demo', 'api', 'DELETE', '/flows/nope']);
    expect(del.code).toBe(2);
    const notFound = await run(['--demo', 'api', 'GET', '/flows/000000000000000000000000']);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toMatch(/^Error: .*404/);
    const badMethod = await run(['--demo', 'api', 'FETCH', '/flows']);
    expect(badMethod.code).toBe(1);
  });

  it('--read-only blocks changes', async () => {
    const r = await run(['--demo', '--read-only', 'flows', 'disable', FLOW, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('read-only');
  });

  it('completion prints a script for bash and zsh', async () => {
    const bash = await run(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o default -F _celigo_manage celigo-manage');
    const zsh = await run(['completion', 'zsh']);
    expect(zsh.stdout.startsWith('#compdef celigo-manage')).toBe(true);
    const fish = await run(['completion', 'fish']);
    expect(fish.code).toBe(1);
  });
});
