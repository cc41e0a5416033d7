// Signatures must mean the same bytes on every device, whatever order a record's keys were
// written or decoded in. This is the one canonical encoding for signed records: sorted keys,
// integers only, no `sig` field, a domain label and the group id in front (so a record
// signed for one group cannot be replayed into another).
import nacl from 'tweetnacl';
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from '../crypto/bytes.ts';
import type { MemberId, SigningSecretKey } from '../crypto/keys.ts';
import { signingKeyOfMember } from '../crypto/keys.ts';
import { sign } from '../crypto/sign.ts';
import { HearthError } from '../errors.ts';

export const RECORD_LABEL = 'hearth/item/v1';
const ITEM_ID_LABEL = 'hearth/item-id/v1';

/** Thrown for a value that has no canonical encoding; a writer's bug, never a reader's. */
export class CanonicalError extends HearthError<'not-signable'> {
  override readonly name = 'CanonicalError';
  constructor(detail: string) {
    super('not-signable', 'This could not be signed: it holds a value Hearth cannot encode.', {
      detail,
    });
  }
}

/** Deterministic JSON: object keys sorted by code unit, undefined members dropped, safe integers only. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new CanonicalError('only safe integers are signed');
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalError('only plain objects are signed');
      }
      const obj = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(obj).sort()) {
        if (obj[key] === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${canonicalJson(obj[key])}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new CanonicalError(`a ${typeof value} cannot be signed`);
  }
}

/** The text a record's signature covers: label, group id and the record without `sig`. */
export function signedText(groupId: string, record: object): string {
  const { sig: _sig, ...fields } = record as Record<string, unknown>;
  return `${RECORD_LABEL}\u0000${groupId}\u0000${canonicalJson(fields)}`;
}

/** Signs `fields` as `signer` for `groupId` and returns them with `sig` (base64url) added. */
export function signRecord<T extends object>(
  signer: { readonly signing: { readonly secretKey: SigningSecretKey } },
  groupId: string,
  fields: T,
): T & { readonly sig: string } {
  const sig = toBase64Url(sign(signer.signing.secretKey, utf8(signedText(groupId, fields))));
  return Object.freeze({ ...fields, sig });
}

/** 8 random bytes, base64url: mixed into an item id so ids are unguessable. */
export function newNonce(): string {
  return toBase64Url(nacl.randomBytes(8));
}

/**
 * An item's id commits to its author: base64url(SHA-512(label || author key || nonce))[0..12].
 * A member who overwrites someone else's item cannot make a validly signed record of their
 * own under that id, so the hijack shows as forged.
 */
export function deriveItemId(author: MemberId, nonce: string): string {
  const hash = nacl.hash(
    concatBytes(utf8(ITEM_ID_LABEL), signingKeyOfMember(author), fromBase64Url(nonce)),
  );
  return toBase64Url(hash.subarray(0, 12));
}
