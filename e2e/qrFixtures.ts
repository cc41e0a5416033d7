// Test fixtures for scanning: a QR code drawn into a Y4M video (Chromium's fake camera plays
// it in a loop) or a PNG photo, from the same module matrix the app's QR library makes.
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export function writeQrVideo(
  path: string,
  text: string,
  width = 640,
  height = 480,
  frames = 10,
): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor(Math.min(width, height) / (n + 2 * quiet));
  const x0 = Math.floor((width - scale * n) / 2);
  const y0 = Math.floor((height - scale * n) / 2);
  const y = new Uint8Array(width * height).fill(235);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = (y0 + r * scale + dy) * width + x0 + c * scale;
        y.fill(16, row, row + scale);
      }
    }
  }
  const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}

export async function writeQrPng(path: string, text: string): Promise<void> {
  await QRCode.toFile(path, text, { errorCorrectionLevel: 'M', margin: 4, width: 600 });
}
