// The troubleshoot report: what was gathered and what was judged, with one summary sentence.
import type { Flow } from '../core/schemas.js';
import type { NextStep } from './outcome.js';
import type { ScopedError } from './patterns.js';
import { describeEffect, isMappingChange, type ChangeEvent, type LikelyCause, type StepFinding, type TroubleGroup, type TroubleJudgement, type TroubleTarget } from './troubleshoot-judge.js';
import { plural } from './util.js';

export interface TroubleshootReport {
  target: TroubleTarget;
  job?: { jobId: string; flowId?: string; type: string; status: string; createdAt: string; startedAt?: string; endedAt?: string; counts: { exported: number; succeeded: number; failed: number; ignored: number } };
  recentJobs?: { jobId: string; status: string; createdAt: string; numError: number }[];
  flows: { flowId: string; name: string; openErrors: number }[];
  totalErrors: number;
  errorGroups: TroubleGroup[];
  likelyCause?: LikelyCause;
  steps: StepFinding[];
  changes: ChangeEvent[];
  suspectChange?: ChangeEvent;
  /** What to do next (undo the change, fix the connection or the mapping, retry), as operations to call. */
  next: NextStep[];
  summary: string;
}

/** What gathering found, as the report shows it. */
export interface TroubleFindings {
  target: TroubleTarget;
  job?: TroubleshootReport['job'];
  recentJobs?: TroubleshootReport['recentJobs'];
  flows: Flow[];
  errors: ScopedError[];
  steps: StepFinding[];
}

/** One sentence: how many errors in how many patterns, the likely cause, the suspect change and the fix. */
export function summarySentence(s: { target: TroubleTarget; job?: { jobId: string; status: string }; totalErrors: number; groups: readonly TroubleGroup[]; likely?: LikelyCause; suspect?: ChangeEvent }): string {
  const { target, job, groups, likely, suspect } = s;
  if (!groups.length) {
    return job
      ? `Job ${job.jobId} (${JSON.stringify(target.name)}) is ${job.status} with no open errors${likely ? `; likely ${likely.label}` : ''}.`
      : `No open errors for ${target.type} ${target.name !== undefined ? JSON.stringify(target.name) : target.id}.`;
  }
  const top = groups[0];
  return (
    `${plural(s.totalErrors, 'open error')} in ${plural(groups.length, 'pattern')}; the largest (${top.count}x on ${top.stepName ?? top.stepId}) looks like ${likely!.label}.` +
    (suspect ? ` ${suspect.resourceType} ${suspect.resourceName ?? suspect.resourceId} was changed${suspect.by ? ` by ${suspect.by}` : ''} ${suspect.minutesBeforeFirstError} min before the errors began${suspect.mappingEffect ? ` (mapping: ${describeEffect(suspect.mappingEffect)})` : isMappingChange(suspect) ? ' (its mapping)' : ''}.` : '') +
    ` Fix: ${likely!.fix}`
  );
}

export function troubleshootReport(found: TroubleFindings, judged: TroubleJudgement): TroubleshootReport {
  const { target, errors } = found;
  const flowRows = found.flows.map((f) => ({ flowId: f._id, name: f.name, openErrors: errors.filter((e) => e.flowId === f._id).length }));
  return {
    target,
    job: found.job,
    recentJobs: found.recentJobs,
    flows: flowRows,
    totalErrors: errors.length,
    errorGroups: judged.groups,
    likelyCause: judged.likely,
    steps: found.steps,
    changes: judged.changes.slice(0, 20),
    suspectChange: judged.suspect,
    next: judged.next,
    summary: summarySentence({ target, job: found.job, totalErrors: errors.length, groups: judged.groups, likely: judged.likely, suspect: judged.suspect }),
  };
}
