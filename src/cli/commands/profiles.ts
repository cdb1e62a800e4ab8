import type { NounSpec } from '../spec.js';
import { opt } from '../spec.js';
import { arg, done, optStr } from './common.js';
import { UsageError } from '../../core/errors.js';

export const PROFILE_FIELDS = ['name', 'current', 'region', 'baseUrl', 'tokenEnv', 'token', 'production', 'timeZone', 'description'] as const;

export const profiles: NounSpec = {
  name: 'profiles',
  verbs: [
    {
      name: 'list',
      summary: 'List profiles (tokens are never shown)',
      examples: ['profiles list', 'profiles list --json name,current'],
      async run(rc) {
        rc.out.expectFields(PROFILE_FIELDS);
        const { readProfiles, profilesPath } = await import('../../config/profiles.js');
        const file = readProfiles(rc.io.env);
        const current = rc.io.env.CELIGO_MANAGE_PROFILE ?? file.current;
        const rows = Object.entries(file.profiles).map(([name, p]) => ({
          name,
          current: name === current,
          region: p.region ?? (p.baseUrl ? undefined : 'na'),
          baseUrl: p.baseUrl,
          tokenEnv: p.tokenEnv,
          token: p.tokenEnv ? (rc.io.env[p.tokenEnv] ? `from $${p.tokenEnv}` : `$${p.tokenEnv} not set`) : p.token ? 'in profile file' : rc.io.env.CELIGO_API_TOKEN ? 'from $CELIGO_API_TOKEN' : 'missing',
          production: !!p.production,
          timeZone: p.timeZone,
          description: p.description,
        }));
        if (!rows.length && !rc.out.jsonMode) {
          rc.out.note(`No profiles yet (${profilesPath(rc.io.env)}). Add one: celigo-manage profiles add prod --region na --token-env CELIGO_PROD_TOKEN --production`);
          return;
        }
        rc.out.list(rows, { noun: 'profiles', fields: PROFILE_FIELDS, columns: ['name', 'current', 'region', 'baseUrl', 'tokenEnv', 'token', 'production'] });
      },
    },
    {
      name: 'add',
      summary: 'Add or replace a profile (the token itself stays in the environment)',
      args: ['<name>'],
      argHelp: { name: 'Profile name, e.g. prod or sandbox' },
      options: [
        opt('--region <region>', 'na, eu, au or ca (default na)', { choices: ['na', 'us', 'eu', 'au', 'ca'] }),
        opt('--base-url <url>', 'API base URL (overrides the region)'),
        opt('--token-env <VAR>', 'Environment variable that holds this profile\'s token (default CELIGO_API_TOKEN)'),
        opt('--production', 'A production account: changes always ask for confirmation unless --yes'),
        opt('--time-zone <zone>', 'Time zone time phrases ("yesterday", "since Monday") are read in, e.g. Europe/Paris (default: TZ, else the system\'s)'),
        opt('--description <text>', 'A note for people'),
        opt('--use', 'Make it the current profile'),
      ],
      examples: ['profiles add prod --region na --token-env CELIGO_PROD_TOKEN --production', 'profiles add sandbox --region eu --token-env CELIGO_SANDBOX_TOKEN --time-zone Europe/Paris --use'],
      async run(rc) {
        const [{ readProfiles, writeProfiles, profileSchema, profilesPath, checkProfileName, checkTokenEnv, profileIn }, { baseUrlFor }, { insecureHttpFromEnv }] = await Promise.all([
          import('../../config/profiles.js'),
          import('../../core/regions.js'),
          import('../../config/env-flags.js'),
        ]);
        const name = checkProfileName(arg(rc, 0).trim());
        const tokenEnv = optStr(rc, 'tokenEnv');
        const candidate = {
          region: optStr(rc, 'region') as 'na' | undefined,
          baseUrl: optStr(rc, 'baseUrl'),
          tokenEnv: tokenEnv === undefined ? undefined : checkTokenEnv(tokenEnv.trim(), rc.io.env),
          production: rc.opts.production ? true : undefined,
          timeZone: optStr(rc, 'timeZone'),
          description: optStr(rc, 'description'),
        };
        try {
          baseUrlFor(candidate.region, candidate.baseUrl, { insecureHttp: insecureHttpFromEnv(rc.io.env) });
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        const parsed = profileSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
        if (!parsed.success) throw new UsageError(`Invalid profile: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'profile'}: ${i.message}`).join('; ')}.`);
        const file = readProfiles(rc.io.env);
        const replaced = profileIn(file, name) !== undefined;
        file.profiles[name] = parsed.data;
        if (rc.opts.use || !file.current) file.current = name;
        writeProfiles(file, rc.io.env);
        const tokenVar = parsed.data.tokenEnv ?? 'CELIGO_API_TOKEN';
        done(rc, `${replaced ? 'Replaced' : 'Added'} profile "${name}"${file.current === name ? ' (current)' : ''} in ${profilesPath(rc.io.env)}.`, {
          name,
          ...parsed.data,
          current: file.current === name,
          next: rc.io.env[tokenVar] ? `Token found in $${tokenVar}. Try: celigo-manage --profile ${name} integrations list` : `Set the token: export ${tokenVar}=… (never on the command line), then: celigo-manage --profile ${name} integrations list`,
        });
      },
    },
    {
      name: 'use',
      summary: 'Make a profile the current one',
      args: ['<name>'],
      argHelp: { name: 'Profile name' },
      examples: ['profiles use sandbox'],
      async run(rc) {
        const { readProfiles, writeProfiles, profileIn } = await import('../../config/profiles.js');
        const name = arg(rc, 0);
        const file = readProfiles(rc.io.env);
        const profile = profileIn(file, name);
        if (!profile) {
          const known = Object.keys(file.profiles);
          throw new UsageError(`No profile "${name}". ${known.length ? `Profiles: ${known.join(', ')}.` : 'No profiles yet.'} Add it with: celigo-manage profiles add ${name} --region na`, known);
        }
        file.current = name;
        writeProfiles(file, rc.io.env);
        done(rc, `Now using profile "${name}".`, { current: name, production: !!profile.production });
      },
    },
  ],
};
