// Issue 18 item 4: who a tool call acts for reaches its OpContext (ctx.actor): the OAuth token's person on
// both protocol revisions, on every call of a 2025-era session too; `bearer` behind the static token; the
// local user without authentication. A fixture tool reports the context it was given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, type HttpHandle } from '../../src/mcp/http.js';
import { createOAuthGuard } from '../../src/mcp/oauth.js';
import { oauthConfigFromEnv } from '../../src/mcp/oauth-config.js';
import { defineTool, type ToolDef } from '../../src/operations/tool.js';
import { localActor } from '../../src/app/actor.js';
import { ERAS, connectHttp, factory, fixtureTools, textOf } from '../helpers/mcp.js';
import { startIssuer, type TestIssuer } from '../helpers/issuer.js';

const AUD = 'https://celigo-mcp.test/mcp';
const BEARER = 'f0e1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f7a8b';

const whoami = defineTool({
  name: 'whoami',
  toolset: 'integrations',
  title: 'Who am I',
  description: 'The actor of the call.',
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (_a, ctx) => ({ text: JSON.stringify(ctx.actor ?? null) }),
}) as unknown as ToolDef;

const tools = () => [...fixtureTools(), whoami];

async function whoIs(url: string, era: (typeof ERAS)[number], headers?: Record<string, string>, calls = 1): Promise<unknown[]> {
  const c = await connectHttp(url, { era, headers });
  try {
    const out: unknown[] = [];
    for (let i = 0; i < calls; i++) out.push(JSON.parse(textOf(await c.client.callTool({ name: 'whoami', arguments: {} }))));
    return out;
  } finally {
    await c.close();
  }
}

describe('the actor of a tool call', () => {
  let issuer: TestIssuer;
  let oauth: HttpHandle;
  beforeAll(async () => {
    issuer = await startIssuer({ audience: AUD });
    const config = oauthConfigFromEnv({ CELIGO_MANAGE_OAUTH_ISSUER: issuer.issuer, CELIGO_MANAGE_OAUTH_AUDIENCE: AUD })!;
    oauth = await startHttp({ factory: factory({ tools: tools() }), port: 0, oauth: createOAuthGuard(config), authThrottle: { baseMs: 0, maxMs: 0 } });
  });
  afterAll(async () => {
    await oauth.close();
    await issuer.close();
  });

  it.each(ERAS)('is the OAuth token\'s person on the %s revision, on every call of the session', async (era) => {
    const token = await issuer.mint({ sub: 'user-42', name: 'Ada Lovelace', scope: 'celigo:read celigo:write openid' });
    const seen = await whoIs(oauth.url, era, { authorization: `Bearer ${token}` }, 3);
    for (const a of seen) {
      expect(a).toEqual({ subject: 'user-42', issuer: issuer.issuer, name: 'Ada Lovelace', scopes: ['celigo:read', 'celigo:write', 'openid'], via: 'oauth' });
    }
  });

  it('reads scopes from an `scp` list too (as some issuers write them)', async () => {
    const token = await issuer.mint({ sub: 'svc', scp: ['celigo:read'], key: 'ec' });
    const [a] = await whoIs(oauth.url, 'modern', { authorization: `Bearer ${token}` });
    expect(a).toMatchObject({ subject: 'svc', scopes: ['celigo:read'], via: 'oauth' });
  });

  it.each(ERAS)('is `bearer` behind the static token, and the local user without authentication (%s)', async (era) => {
    const withBearer = await startHttp({ factory: factory({ tools: tools() }), port: 0, bearerToken: BEARER });
    const open = await startHttp({ factory: factory({ tools: tools() }), port: 0 });
    try {
      const [b] = await whoIs(withBearer.url, era, { authorization: `Bearer ${BEARER}` });
      expect(b).toMatchObject({ subject: 'bearer', via: 'bearer' });
      const [l] = await whoIs(open.url, era);
      expect(l).toEqual(JSON.parse(JSON.stringify(localActor())));
    } finally {
      await withBearer.close();
      await open.close();
    }
  });
});
