// A relay's answer read as bytes, refused as soon as it passes `max`, whatever its
// Content-Length claimed: a hostile or broken relay cannot make the app buffer without end.
import { concatBytes } from '../core/crypto/bytes.ts';

/** The body of `res`, or `tooBig()` thrown once it passes `max` bytes. */
export async function readCapped(
  res: Response,
  max: number,
  tooBig: () => Error,
): Promise<Uint8Array> {
  const reader = res.body?.getReader();
  if (!reader) {
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length > max) throw tooBig();
    return body;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      void reader.cancel().catch(() => {});
      throw tooBig();
    }
    chunks.push(value);
  }
  return concatBytes(...chunks);
}

/** Most bytes of a relay's JSON or text answer (errors, acknowledgements, /config). */
export const SMALL_ANSWER_BYTES = 64 * 1024;

/**
 * The body of `res` as UTF-8 text, read under the same cap: a JSON acknowledgement or error
 * answer is small, so a relay that streams without end is refused, chunked or not.
 */
export async function readCappedText(
  res: Response,
  max: number,
  tooBig: () => Error,
): Promise<string> {
  return new TextDecoder().decode(await readCapped(res, max, tooBig));
}
