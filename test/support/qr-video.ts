// A video of a QR code for Chromium's fake camera (--use-file-for-fake-video-capture): the
// code rendered to pixels by the qrcode library, written as Y4M (YUV 4:2:0) frames.
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export function writeQrVideo(file: string, text: string, opts: { width?: number; height?: number; frames?: number } = {}): { version: number; modules: number } {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor(Math.min(width, height) / (size + 2 * quiet));
  const side = (size + 2 * quiet) * scale;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const y = new Uint8Array(width * height).fill(235);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = (top + (r + quiet) * scale + dy) * width + left + (c + quiet) * scale;
        y.fill(16, row, row + scale);
      }
    }
  const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, ...Array(opts.frames ?? 10).fill(frame)]));
  return { version: qr.version, modules: size };
}
