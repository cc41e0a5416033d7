export * from './Posts.ts';
export * from './records.ts';
