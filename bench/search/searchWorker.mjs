// Loads the TypeScript worker through tsx (a worker's entry file is not covered by --import).
import { register } from 'tsx/esm/api';

register();
await import('./searchWorker.ts');
