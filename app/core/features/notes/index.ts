import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Notes } from './Notes.ts';
import { noteKind, noteRevKind, noteTitleKind } from './records.ts';

export * from './links.ts';
export * from './Notes.ts';
export * from './records.ts';

export const notes: FeatureModule<Notes> = {
  kinds: [noteKind as RecordKind, noteTitleKind as RecordKind, noteRevKind as RecordKind],
  facade: (group) => new Notes(group),
};
