// Every refused write gets a code the UI can branch on and a message it can show as is.
import { HearthError, type HearthErrorOptions } from '../errors.ts';

/**
 * Refusal codes a feature adds for its own records, declared in its own folder by merging
 * into this interface (`declare module '…/group/GroupError.ts' { interface FeatureErrorCodes
 * { 'not-admin': true } }`), so a new feature never edits the kernel for them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: features merge their codes into it
export interface FeatureErrorCodes {}

export type GroupErrorCode =
  | 'not-a-member'
  | 'not-found'
  | 'not-author'
  | 'deleted'
  | 'wrong-kind'
  | 'not-editable'
  | 'empty'
  | 'too-long'
  | 'bad-emoji'
  | 'bad-quote'
  | 'bad-name'
  | 'bad-record'
  | keyof FeatureErrorCodes;

export class GroupError extends HearthError<GroupErrorCode> {
  override readonly name = 'GroupError';
  constructor(code: GroupErrorCode, message: string, options: HearthErrorOptions = {}) {
    super(code, message, options);
  }
}
