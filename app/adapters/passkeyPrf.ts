// The device's screen lock as a key, through WebAuthn: a passkey made for this site with the
// PRF extension gives the same 32 secret bytes for the same input each time the member
// unlocks the device (fingerprint, face, PIN). Feature-detected: where the browser or the
// authenticator has no PRF, the app lock offers the passphrase only.
import { AppLockError } from '../core/lock/AppLock.ts';

interface PrfResults {
  prf?: { enabled?: boolean; results?: { first?: ArrayBuffer | Uint8Array } };
}

const toBytes = (b: ArrayBuffer | Uint8Array): Uint8Array =>
  b instanceof Uint8Array ? b : new Uint8Array(b);

const random = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

/** Whether passkeys with PRF can be asked for here (the authenticator may still lack it). */
export async function prfSupported(): Promise<boolean> {
  if (typeof PublicKeyCredential === 'undefined' || !navigator.credentials) return false;
  // WebAuthn refuses an IP address as the site's name: no passkey can be made there.
  if (/^[\d.]+$|^\[/.test(location.hostname)) return false;
  const pkc = PublicKeyCredential as unknown as {
    getClientCapabilities?: () => Promise<Record<string, boolean | undefined>>;
    isUserVerifyingPlatformAuthenticatorAvailable?: () => Promise<boolean>;
  };
  try {
    if (pkc.getClientCapabilities) {
      const caps = await pkc.getClientCapabilities();
      if (caps['extension:prf'] === false) return false;
      if (caps['extension:prf'] === true) return true;
    }
    return (await pkc.isUserVerifyingPlatformAuthenticatorAvailable?.()) ?? false;
  } catch {
    return false;
  }
}

/** The PRF output of passkey `credentialId` for `salt` (asks for the screen lock). */
export async function prfOutput(credentialId: Uint8Array, salt: Uint8Array): Promise<Uint8Array> {
  let cred: Credential | null;
  try {
    cred = await navigator.credentials.get({
      publicKey: {
        challenge: random(32) as BufferSource,
        allowCredentials: [{ type: 'public-key', id: credentialId as BufferSource }],
        userVerification: 'required',
        extensions: {
          prf: { eval: { first: salt as BufferSource } },
        } as AuthenticationExtensionsClientInputs,
      },
    });
  } catch (e) {
    throw new AppLockError('passkey-failed', 'the passkey was not used', { cause: e });
  }
  const out = (cred as PublicKeyCredential | null)?.getClientExtensionResults() as
    | PrfResults
    | undefined;
  const first = out?.prf?.results?.first;
  if (!first) throw new AppLockError('passkey-failed', 'the authenticator gave no PRF output');
  return toBytes(first);
}

/** Makes a passkey for the app lock and returns its id and PRF output for `salt`. */
export async function createPrfPasskey(
  salt: Uint8Array,
): Promise<{ credentialId: Uint8Array; output: Uint8Array }> {
  let cred: Credential | null;
  try {
    cred = await navigator.credentials.create({
      publicKey: {
        challenge: random(32) as BufferSource,
        rp: { name: 'Hearth' },
        user: {
          id: random(16) as BufferSource,
          name: 'Hearth app lock',
          displayName: 'Hearth app lock',
        },
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: { userVerification: 'required', residentKey: 'discouraged' },
        extensions: {
          prf: { eval: { first: salt as BufferSource } },
        } as AuthenticationExtensionsClientInputs,
      },
    });
  } catch (e) {
    throw new AppLockError('passkey-failed', 'no passkey was made', { cause: e });
  }
  const pkc = cred as PublicKeyCredential | null;
  if (!pkc) throw new AppLockError('passkey-failed', 'no passkey was made');
  const credentialId = new Uint8Array(pkc.rawId);
  const out = pkc.getClientExtensionResults() as PrfResults;
  if (out.prf?.enabled === false) {
    throw new AppLockError('no-prf', 'this authenticator has no PRF');
  }
  // Some authenticators answer PRF only when asked with get(), not at creation.
  const first = out.prf?.results?.first;
  return { credentialId, output: first ? toBytes(first) : await prfOutput(credentialId, salt) };
}
