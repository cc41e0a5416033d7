// What the app lock loads only once it is used (AppLock imports this lazily).
export {
  aesOpen,
  aesSeal,
  PBKDF2_MIN_ITERATIONS,
  passphraseKey,
  prfKey,
  randomKey,
  randomSalt,
} from '../crypto/lockKeys.ts';
export { WrappedStorage } from '../storage/WrappedStorage.ts';
