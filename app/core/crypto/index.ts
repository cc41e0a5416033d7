export * from './bytes.ts';
export * from './keys.ts';
export * from './sealed.ts';
export * from './sign.ts';
