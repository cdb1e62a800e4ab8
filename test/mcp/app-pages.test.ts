// Issue 18: on a team server, the latest page of an MCP App tool is each person's own.
import { describe, it, expect } from 'vitest';
import { runAs, type Actor } from '../../src/app/actor.js';
import { keepAppPage, latestAppPage } from '../../src/mcp/app-pages.js';

const person = (subject: string): Actor => ({ subject, scopes: ['celigo:read'], via: 'oauth', issuer: 'https://issuer.example' });

describe('MCP App pages', () => {
  it("keeps each person's latest page apart, and at most 200 pages", () => {
    const latest = new Map<string, string>();
    const uri = 'ui://celigo-manage/health';
    runAs(person('alice'), () => keepAppPage(latest, uri, '<p>alice</p>'));
    runAs(person('bob'), () => expect(latestAppPage(latest, uri)).toBeUndefined());
    runAs(person('alice'), () => expect(latestAppPage(latest, uri)).toBe('<p>alice</p>'));
    runAs(person('bob'), () => keepAppPage(latest, uri, '<p>bob</p>'));
    runAs(person('alice'), () => expect(latestAppPage(latest, uri)).toBe('<p>alice</p>'));
    for (let i = 0; i < 250; i++) runAs(person(`p${i}`), () => keepAppPage(latest, uri, `<p>${i}</p>`));
    expect(latest.size).toBe(200);
    runAs(person('p249'), () => expect(latestAppPage(latest, uri)).toBe('<p>249</p>'));
    runAs(person('alice'), () => expect(latestAppPage(latest, uri)).toBeUndefined());
  });
});
