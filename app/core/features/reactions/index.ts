export * from './Reactions.ts';
export * from './records.ts';
