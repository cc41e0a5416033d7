// Every refused write gets a code the UI can branch on and a message it can show as is.
import { HearthError, type HearthErrorOptions } from '../errors.ts';

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
  | 'not-admin'
  | 'last-admin'
  | 'removed';

export class GroupError extends HearthError<GroupErrorCode> {
  override readonly name = 'GroupError';
  constructor(code: GroupErrorCode, message: string, options: HearthErrorOptions = {}) {
    super(code, message, options);
  }
}
