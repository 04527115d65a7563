// Carbone's side of bench/bench_conversion.py: one long-lived Node process, as a Carbone
// service would run, rendering the template it is given to PDF with the machine's LibreOffice.
//
//   node render.js TEMPLATE.docx DATA.json FACTORIES
//
// Each line read on stdin asks for one render; the answer is one JSON line on stdout:
// {"ms": <render time measured here with process.hrtime>, "bytes": <PDF size>} or {"error": …}.
// A line "save PATH" also writes that render's PDF to PATH (to count its pages and check its
// words). The first line printed, {"ready": true}, comes once LibreOffice has started.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const carbone = require('carbone');

const [template, dataFile, factories] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));

function render(cb) {
  const started = process.hrtime.bigint();
  carbone.render(path.resolve(template), data, { convertTo: 'pdf' }, (err, pdf) => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    cb(err, pdf, ms);
  });
}

carbone.set({ factories: Number(factories || 1), startFactory: true });
{
  // The first render pays LibreOffice's start: done here, before "ready".
  render((err) => {
    if (err) {
      console.log(JSON.stringify({ error: String(err) }));
      process.exit(1);
    }
    console.log(JSON.stringify({ ready: true }));
    const lines = readline.createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      lines.pause();
      render((err, pdf, ms) => {
        if (err) {
          console.log(JSON.stringify({ error: String(err) }));
        } else {
          if (line.startsWith('save ')) fs.writeFileSync(line.slice(5), pdf);
          console.log(JSON.stringify({ ms, bytes: pdf.length }));
        }
        lines.resume();
      });
    });
    lines.on('close', () => process.exit(0));
  });
}
