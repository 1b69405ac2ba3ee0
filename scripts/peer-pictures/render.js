// Reads a JSON array of {bcid, text, out} on stdin; writes each symbol as a PNG (white background).
const bwipjs = require('bwip-js');
const fs = require('fs');
const jobs = JSON.parse(fs.readFileSync(0, 'utf8'));
(async () => {
  for (const job of jobs) {
    const opts = { bcid: job.bcid, text: job.text, scale: 1, backgroundcolor: 'FFFFFF' };
    if (job.bcid === 'gs1-128') { opts.height = 8; }
    const png = await bwipjs.toBuffer(opts);
    fs.writeFileSync(job.out, png);
  }
})().catch(e => { console.error(String(e)); process.exit(1); });
