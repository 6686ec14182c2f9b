// Writes dist/THIRD-PARTY-LICENSES.txt: the license of every npm package with code in the bundle
// (read from esbuild's metafile), so the committed bundle carries its licenses.
'use strict';

const fs = require('fs');
const path = require('path');

const meta = JSON.parse(fs.readFileSync('meta.json', 'utf8'));
const packages = new Set();
for (const output of Object.values(meta.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
        const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
        if (match && input.bytesInOutput > 0) packages.add(match[1]);
    }
}
const parts = [];
for (const name of [...packages].sort()) {
    const dir = path.join('node_modules', name);
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const licenseFile = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = licenseFile ? fs.readFileSync(path.join(dir, licenseFile), 'utf8').trim() : '';
    parts.push(`${name} ${info.version} (${info.license})\n\n${text || '(no license file in the package)'}`);
}
fs.writeFileSync('dist/THIRD-PARTY-LICENSES.txt', parts.join('\n\n' + '-'.repeat(72) + '\n\n') + '\n');
fs.unlinkSync('meta.json');
console.log(`licenses of ${packages.size} packages written`);
