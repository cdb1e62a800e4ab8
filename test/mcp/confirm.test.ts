// Confirm tokens: bound to the tool and the plan digest, expire after 10 minutes, not forgeable.
import { describe, expect, it } from 'vitest';
import { CONFIRM_TTL_SECONDS, mintConfirmToken, verifyConfirmToken } from '../../src/mcp/confirm.js';
import { runAs, type Actor } from '../../src/app/actor.js';

describe('confirm tokens', () => {
  const t0 = Date.UTC(2026, 0, 1);

  it("are the person's own: a token minted for one actor does not confirm another's call (issue 18)", () => {
    const person = (subject: string): Actor => ({ subject, scopes: ['celigo:write'], via: 'oauth' });
    const token = runAs(person('alice'), () => mintConfirmToken('clear_errors', 'abc', t0));
    expect(runAs(person('alice'), () => verifyConfirmToken(token, 'clear_errors', 'abc', t0))).toBe(true);
    expect(runAs(person('bob'), () => verifyConfirmToken(token, 'clear_errors', 'abc', t0))).toBe(false);
    expect(verifyConfirmToken(token, 'clear_errors', 'abc', t0)).toBe(false);
  });

  it('verify for the same tool and digest, and are short', () => {
    const token = mintConfirmToken('clear_errors', 'abc', t0);
    expect(token.length).toBeLessThan(40);
    expect(verifyConfirmToken(token, 'clear_errors', 'abc', t0)).toBe(true);
    expect(verifyConfirmToken(` ${token} `, 'clear_errors', 'abc', t0)).toBe(true);
  });

  it('refuse another tool, another digest, a changed token, or junk', () => {
    const token = mintConfirmToken('clear_errors', 'abc', t0);
    expect(verifyConfirmToken(token, 'delete_flow', 'abc', t0)).toBe(false);
    expect(verifyConfirmToken(token, 'clear_errors', 'abd', t0)).toBe(false);
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(verifyConfirmToken(flipped, 'clear_errors', 'abc', t0)).toBe(false);
    for (const junk of [undefined, 42, '', 'x.y', 'yes']) expect(verifyConfirmToken(junk, 'clear_errors', 'abc', t0)).toBe(false);
  });

  it('expire after ten minutes', () => {
    const token = mintConfirmToken('clear_errors', 'abc', t0);
    expect(verifyConfirmToken(token, 'clear_errors', 'abc', t0 + (CONFIRM_TTL_SECONDS - 1) * 1000)).toBe(true);
    expect(verifyConfirmToken(token, 'clear_errors', 'abc', t0 + (CONFIRM_TTL_SECONDS + 1) * 1000)).toBe(false);
  });

  it('cannot be extended by editing the expiry', () => {
    const token = mintConfirmToken('clear_errors', 'abc', t0);
    const [exp, mac] = token.split('.');
    const later = (parseInt(exp!, 36) + 3600).toString(36);
    expect(verifyConfirmToken(`${later}.${mac}`, 'clear_errors', 'abc', t0 + 3_000_000)).toBe(false);
  });
});
