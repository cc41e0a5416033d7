// Every refused write gets a code the UI can branch on and a message it can show as is.

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
  | 'newer-schema'
  | 'wrong-group'
  | 'no-group-id';

export class GroupError extends Error {
  override readonly name = 'GroupError';
  constructor(
    readonly code: GroupErrorCode,
    message: string,
  ) {
    super(message);
  }
}
