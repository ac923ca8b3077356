#!/usr/bin/env node
// Draws the app icon (a crucible: a bowl with a glowing melt) as PNGs at the sizes electron-builder
// wants, with only Node's zlib. Deterministic.   node assets/icons/generate.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function pixel(x, y) {
  // Unit coordinates, origin at the centre.
  const r = Math.hypot(x, y);
  const bg = [0, 0, 0, 0];
  if (r > 0.98) return bg;
  // Round tile.
  let col = [36, 44, 66, 255];
  // Bowl: lower half-disc.
  const bowl = y > -0.05 && Math.hypot(x, y + 0.05) < 0.62;
  if (bowl) col = [168, 178, 196, 255];
  // Melt: surface band of the bowl, glowing orange to yellow.
  if (bowl && y < 0.2) {
    const t = (y + 0.05) / 0.25;
    col = [255, Math.round(140 + 90 * (1 - t)), 40, 255];
  }
  // Rim.
  if (Math.abs(y + 0.05) < 0.035 && Math.abs(x) < 0.68) col = [220, 226, 236, 255];
  // Two streams pouring in (the merged models).
  if (y < -0.05 && y > -0.7 && (Math.abs(x + 0.25 + y * 0.25) < 0.05 || Math.abs(x - 0.25 - y * 0.25) < 0.05)) col = [91, 140, 255, 255];
  return col;
}

function png(size) {
  const rows = [];
  for (let j = 0; j < size; j++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let i = 0; i < size; i++) {
      // 2×2 supersampling for smooth edges.
      const acc = [0, 0, 0, 0];
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        const p = pixel(((i + dx) / size) * 2 - 1, ((j + dy) / size) * 2 - 1);
        for (let k = 0; k < 4; k++) acc[k] += p[k] / 4;
      }
      acc.forEach((v, k) => (row[1 + i * 4 + k] = Math.round(v)));
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

writeFileSync(join(here, 'icon.png'), png(512));
for (const s of [16, 32, 48, 64, 128, 256]) writeFileSync(join(here, `${s}x${s}.png`), png(s));
process.stdout.write('icons written\n');
