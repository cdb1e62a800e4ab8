// Confirmation of destructive work (design.md §3), in three ways, first match wins:
//   1. the call carries `confirm: "<token>"` minted for this tool and this plan digest -> proceed;
//   2. the client can show a form -> ask by elicitation
//      (2025-11-25: a server->client elicitation/create request while the call waits;
//       2026-07-28: an input_required result, the client retries the call with the answer);
//   3. otherwise -> ConfirmationRequired(plan, token): the caller shows the plan and the token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  type InputRequiredResult,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { ConfirmationRequired, type ConfirmPlan } from '../ops/context.js';
import { stripControls } from '../core/control-chars.js';
import { currentActor } from '../app/actor.js';

/** How long a confirm token (and an elicitation round's state) stays valid. */
export const CONFIRM_TTL_SECONDS = 600;

// One random key per process: tokens do not survive a restart, which is what we want for one person's
// server. A team's replicas share one key instead (useConfirmKey), so that any of them honours a token
// another minted.
let key: Buffer | undefined;
function processKey(): Buffer {
  key ??= randomBytes(32);
  return key;
}

/**
 * Signs confirm tokens and requestState with `shared` from now on (the team store's key, store/postgres.ts
 * confirmKey): runMcp calls it before it builds the server factory. The requestState codec is rebuilt
 * with it; a factory built earlier keeps the codec it took.
 */
export function useConfirmKey(shared: Buffer): void {
  if (shared.length < 32) throw new Error('A confirmation key needs at least 32 bytes.');
  key = Buffer.from(shared);
  codec = undefined;
}

/**
 * The token's MAC binds the person it was shown to (the actor's subject, app/actor.ts): on a team server a
 * token one person's agent was given does not confirm another person's call, even of the same plan.
 */
function mac(tool: string, digest: string, exp: number): string {
  return createHmac('sha256', processKey()).update(`${tool}\n${digest}\n${exp}\n${currentActor().subject}`).digest('base64url').slice(0, 22);
}

/** A short token the model can copy: `<expiry base36>.<hmac>`, bound to the tool, the plan digest and the actor. */
export function mintConfirmToken(tool: string, digest: string, nowMs = Date.now()): string {
  const exp = Math.floor(nowMs / 1000) + CONFIRM_TTL_SECONDS;
  return `${exp.toString(36)}.${mac(tool, digest, exp)}`;
}

export function verifyConfirmToken(token: unknown, tool: string, digest: string, nowMs = Date.now()): boolean {
  if (typeof token !== 'string') return false;
  const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
  if (!m) return false;
  const exp = parseInt(m[1]!, 36);
  if (!Number.isFinite(exp) || exp * 1000 < nowMs) return false;
  const want = Buffer.from(mac(tool, digest, exp));
  const got = Buffer.from(m[2]!);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Payload of the 2026-07-28 requestState for a confirmation round. */
export interface ConfirmState {
  kind: 'confirm';
  tool: string;
  digest: string;
  /** Whom it was asked of (the actor's subject). */
  subject?: string;
}

let codec: RequestStateCodec | undefined;
/** HMAC codec for multi-round-trip requestState (2026-07-28); its verify is the server's requestState hook. */
export function requestStateCodec(): RequestStateCodec {
  codec ??= createRequestStateCodec({ key: processKey(), ttlSeconds: CONFIRM_TTL_SECONDS });
  return codec;
}

/** Thrown by `confirm` on a 2026-07-28 request that has to ask: register.ts turns it into input_required. */
export class ElicitationNeeded extends Error {
  constructor(readonly plan: ConfirmPlan) {
    super(`Confirmation needed: ${plan.action}`);
    this.name = 'ElicitationNeeded';
  }
}

const ANSWER_KEY = 'confirm';

const confirmSchema = {
  type: 'object' as const,
  properties: {
    confirm: {
      type: 'boolean' as const,
      title: 'Proceed',
      description: 'Leave ticked and accept to go ahead; decline to change nothing.',
      default: true,
    },
  },
  required: ['confirm'],
};

export function confirmMessage(plan: ConfirmPlan): string {
  const details = plan.details.slice(0, 30).map((d) => `- ${stripControls(d)}`);
  if (plan.details.length > 30) details.push(`- ... and ${plan.details.length - 30} more`);
  return [`${stripControls(plan.action)}?`, ...details].join('\n');
}

/** The input_required result that asks a 2026-07-28 client to confirm `plan`. */
export async function confirmationInputRequired(tool: string, plan: ConfirmPlan): Promise<InputRequiredResult> {
  const state: ConfirmState = { kind: 'confirm', tool, digest: plan.digest, subject: currentActor().subject };
  return inputRequired({
    inputRequests: {
      [ANSWER_KEY]: inputRequired.elicit({ mode: 'form', message: confirmMessage(plan), requestedSchema: confirmSchema }),
    },
    requestState: await requestStateCodec().mint(state),
  });
}

function accepted(action: string, content: Record<string, unknown> | undefined): boolean {
  return action === 'accept' && content?.confirm !== false;
}

export interface ConfirmDeps {
  tool: string;
  /** The `confirm` argument of this call, if any. */
  token?: unknown;
  ctx: ServerContext;
  /** Which revision this request is served on. */
  era: 'legacy' | 'modern';
  /** Whether the client declared form elicitation (per request on 2026-07-28, at initialize on 2025). */
  canElicit: boolean;
  now?: () => number;
  log?: (line: string) => void;
}

/** Builds the ToolContext.confirm for one tool call. */
export function makeConfirm(d: ConfirmDeps): (plan: ConfirmPlan) => Promise<boolean> {
  const now = d.now ?? Date.now;
  return async (plan) => {
    if (d.token !== undefined && verifyConfirmToken(d.token, d.tool, plan.digest, now())) return true;

    if (d.canElicit && d.era === 'modern') {
      // Re-entry after the client answered: the answer counts only for the plan it was asked about.
      const state = d.ctx.mcpReq.requestState<ConfirmState>();
      const answer = inputResponse(d.ctx.mcpReq.inputResponses, ANSWER_KEY);
      if (state?.kind === 'confirm' && state.tool === d.tool && state.digest === plan.digest && state.subject === currentActor().subject && answer.kind === 'elicit') {
        return accepted(answer.action, answer.content);
      }
      throw new ElicitationNeeded(plan);
    }

    if (d.canElicit && d.era === 'legacy') {
      try {
        const r = await d.ctx.mcpReq.elicitInput(
          { mode: 'form', message: confirmMessage(plan), requestedSchema: confirmSchema },
          { signal: d.ctx.mcpReq.signal, timeout: CONFIRM_TTL_SECONDS * 1000 },
        );
        return accepted(r.action, r.content as Record<string, unknown> | undefined);
      } catch (err) {
        if (d.ctx.mcpReq.signal.aborted) throw err;
        // The client said it could elicit but the request failed: fall back to the token two-step.
        d.log?.(`elicitation failed for ${d.tool}, falling back to a confirm token: ${(err as Error).message}`);
      }
    }

    throw new ConfirmationRequired(plan, mintConfirmToken(d.tool, plan.digest, now()));
  };
}
