// A closed proposal and its exported record, for the record and verify-record tests.
import { Group } from '../../group/Group.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import { type DecisionRecordFile, exportRecord } from './record.ts';

export const ann = createIdentity('Ann');
export const bob = createIdentity('Bob');
export const cat = createIdentity('Cat');

export async function closedProposal(hidden = false) {
  let t = 1_000_000;
  const group = Group.create({
    name: 'Garden',
    me: ann,
    clock: () => (t += 10),
    kinds: FEATURE_KINDS,
  });
  group.join(bob);
  group.join(cat);
  const { decisions } = featuresOf(group);
  const id = decisions.propose(ann, { title: 'Buy a shed', body: 'For tools.', hidden });
  decisions.respond(ann, id, 'agree', 'We need it');
  decisions.respond(bob, id, 'agree');
  decisions.respond(cat, id, 'block', 'Not on the lawn');
  await decisions.close(ann, id, 'rejected', 'Blocked; we look again.');
  return { group, decisions, id, file: exportRecord(group, decisions, id) };
}

export const clone = (f: DecisionRecordFile): DecisionRecordFile => JSON.parse(JSON.stringify(f));
