// Prints the size of the page's WASM modules (the .wasm and its JavaScript
// glue): raw, gzip -9 and brotli q11, as served precompressed by the site.
//   node build-scripts/wasm-size.mjs [buildDir ...]   (default: build)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const files = [['wasm', 'descent.wasm'], ['wasm', 'descent.mjs'],
  ['wasm-simd', 'descent-simd.wasm'], ['wasm-simd', 'descent-simd.mjs']];
const dirs = process.argv.slice(2);
for (const dir of dirs.length ? dirs : ['build']) {
  console.log(dir);
  for (const [sub, name] of files) {
    const file = path.join(dir, sub, name);
    if (!fs.existsSync(file)) { console.log(`  ${name.padEnd(18)} missing`); continue; }
    const data = fs.readFileSync(file);
    const gzip = zlib.gzipSync(data, { level: 9 }).length;
    const brotli = zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length;
    console.log(`  ${name.padEnd(18)} raw ${String(data.length).padStart(9)}  gzip ${String(gzip).padStart(8)}  brotli ${String(brotli).padStart(8)}`);
  }
}
