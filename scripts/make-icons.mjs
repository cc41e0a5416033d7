// Draws Hearth's app icons (a warm flame on a dark tile) as PNGs with no image library:
// run once with `node scripts/make-icons.mjs`; the PNGs are committed under public/.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function icon(size, { maskable }) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const pad = maskable ? 0.22 : 0.12;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const u = x / size;
      const v = y / size;
      // background tile
      let r = 0x1f;
      let g = 0x1b;
      let b = 0x24;
      // flame: a teardrop = circle at the bottom + narrowing top
      const s = 1 - 2 * pad;
      const fx = (u - 0.5) / s;
      const fy = (v - pad) / s;
      const cy = 0.62;
      const rad = 0.28;
      const dx = fx;
      const dy = fy - cy;
      const inCircle = dx * dx + dy * dy < rad * rad;
      const t = (cy - fy) / (cy - 0.05);
      const inTip = fy > 0.05 && fy <= cy && Math.abs(dx) < rad * (1 - t) ** 0.8;
      if (inCircle || inTip) {
        const inner = dx * dx + (dy - 0.06) ** 2 < (rad * 0.45) ** 2;
        [r, g, b] = inner ? [0xff, 0xd1, 0x66] : [0xf2, 0x6b, 0x2a];
      }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync('public/icon-192.png', icon(192, { maskable: false }));
writeFileSync('public/icon-512.png', icon(512, { maskable: false }));
writeFileSync('public/icon-maskable-512.png', icon(512, { maskable: true }));
writeFileSync('public/apple-touch-icon.png', icon(180, { maskable: true }));
