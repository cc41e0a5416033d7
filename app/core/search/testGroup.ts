// A group of two members with every feature, for the search tests: its facades and every
// feature's search documents, all or those of some ids (what GroupHandle.searchDocs gives).
import type { SearchDoc } from '../features/Feature.ts';
import { FEATURE_KINDS, featureList, featuresOf } from '../features/registry.ts';
import { Group } from '../group/Group.ts';
import { createIdentity } from '../identity/Identity.ts';

export function searchTestGroup() {
  let t = 1_000;
  const ann = createIdentity('Ann');
  const bob = createIdentity('Bob');
  const group = Group.create({ name: 'G', me: ann, clock: () => (t += 10), kinds: FEATURE_KINDS });
  group.join(bob);
  const f = featuresOf(group);
  const docsOf = (ids?: ReadonlySet<string>): SearchDoc[] =>
    featureList(f).flatMap((x) => x.searchable?.(ids) ?? []);
  return { ann, bob, group, f, docsOf };
}
