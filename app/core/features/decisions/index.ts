import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Decisions } from './Decisions.ts';
import { ballotKind, closeKind, pollKind, proposalKind, replyKind } from './records.ts';

export * from './Decisions.ts';
export * from './records.ts';

export const decisions: FeatureModule<Decisions> = {
  kinds: [proposalKind, pollKind, ballotKind, closeKind, replyKind] as RecordKind[],
  facade: (group) => new Decisions(group),
};
