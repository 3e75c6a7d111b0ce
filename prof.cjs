const fs = require('fs');
const core = require('./server/dist/core.js');
const texts = [];
for (const k of ['go','other']) for (const f of fs.readdirSync('/work/shared/corpus/dockerfiles/'+k)) texts.push(fs.readFileSync('/work/shared/corpus/dockerfiles/'+k+'/'+f,'utf8'));
for (let i = 0; i < 60; i++) for (const t of texts) core.analyze(t);
