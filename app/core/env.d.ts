// The core compiles without the DOM lib, yet TextEncoder/TextDecoder and WebCrypto are
// ECMAScript-host globals present in every browser and in Node >= 20. Declare only what
// the core uses, so a stray DOM API still fails to typecheck here.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
