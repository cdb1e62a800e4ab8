// Issue 13 item 10: `profiles add p --token-env <a token that starts with a letter>` stored the token in clear
// in profiles.json and made the profile current; `profiles add __proto__` said it added a profile and
// stored nothing. A --token-env value that looks like a token is refused (pass the variable's name), and so
// are reserved or odd profile names; a name that only exists on Object.prototype is no profile.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempHome } from '../helpers/cli.js';

const TOKEN = 'a3f9c2e4b5d6078f9a1b2c3d4e5f6a7b';

function profilesFile(home: string): string | undefined {
  const p = join(home, 'profiles.json');
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

describe('profiles add --token-env', () => {
  it.each([
    ['a token starting with a letter', TOKEN, {}],
    ['the value of a variable that holds a token', 'shortish9token', { CELIGO_API_TOKEN: 'shortish9token' }],
  ])('refuses %s, names no token, and writes nothing', async (_what, value, extra) => {
    const home = tempHome();
    const r = await run(['profiles', 'add', 'p', '--token-env', value], { env: { CELIGO_MANAGE_HOME: home, ...extra } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--token-env takes the name of the environment variable that holds the token/);
    expect(r.stderr).toMatch(/e\.g\. --token-env CELIGO_PROD_TOKEN/);
    expect(r.stderr + r.stdout).not.toContain(value);
    expect(profilesFile(home)).toBeUndefined();
  });

  it('takes a variable name, set or not', async () => {
    const home = tempHome();
    for (const name of ['CELIGO_PROD_TOKEN', 'my_token', 'T2']) {
      const r = await run(['profiles', 'add', `p-${name.toLowerCase()}`, '--token-env', name], { env: { CELIGO_MANAGE_HOME: home } });
      expect(r.code, r.stderr).toBe(0);
    }
  });
});

describe('profile names', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '.', '..', '.hidden', 'a b', 'x'.repeat(65)])('refuses %j and writes nothing', async (name) => {
    const home = tempHome();
    const r = await run(['profiles', 'add', name, '--region', 'eu'], { env: { CELIGO_MANAGE_HOME: home } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/profile name/i);
    expect(r.stdout).not.toMatch(/Added/);
    expect(profilesFile(home)).toBeUndefined();
  });

  it('a name that only Object.prototype has is no profile: use and --profile say so', async () => {
    const home = tempHome();
    expect((await run(['profiles', 'add', 'sandbox.eu-1', '--region', 'eu'], { env: { CELIGO_MANAGE_HOME: home } })).code).toBe(0);
    const use = await run(['profiles', 'use', 'toString'], { env: { CELIGO_MANAGE_HOME: home } });
    expect(use.code).toBe(1);
    expect(use.stderr).toContain('No profile "toString"');
    const pick = await run(['--profile', 'constructor', 'flows', 'list'], { env: { CELIGO_MANAGE_HOME: home, CELIGO_API_TOKEN: TOKEN } });
    expect(pick.code).toBe(1);
    expect(pick.stderr).toContain('Unknown profile "constructor"');
    expect(JSON.parse(profilesFile(home)!).current).toBe('sandbox.eu-1');
  });
});
