// Words the decision screens share: what a state, an outcome or a method is called.
import type { MatterView } from '../../../core/features/decisions/Decisions.ts';
import type { Outcome, PollMethod, Stance } from '../../../core/features/decisions/records.ts';

export const STANCE_LABEL: Record<Stance, string> = {
  agree: 'Agree',
  abstain: 'Abstain',
  disagree: 'Disagree',
  block: 'Block',
};

export const OUTCOME_LABEL: Record<Outcome, string> = {
  passed: 'Passed',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  closed: 'Closed',
};

export const METHOD_LABEL: Record<PollMethod, string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  ranked: 'Ranked choice (instant runoff)',
  score: 'Score each option 0 to 5',
};

/** The one sentence beside "hidden until close", wherever it is offered or shown. */
export const HIDDEN_NOTE =
  'Answers are sealed until the close, but whoever starts this can open them early, who has answered is visible, and a sealed answer counts even if its member never comes back.';

export function stateText(m: MatterView): string {
  if (m.close) return OUTCOME_LABEL[m.close.outcome];
  if (m.state === 'due') return 'Deadline passed, waiting for the close';
  return 'Open';
}
