export * from './Discussion.ts';
export * from './records.ts';
