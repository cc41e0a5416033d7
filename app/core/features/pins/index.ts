export * from './Pins.ts';
export * from './records.ts';
